import { DeviceError } from '../../common/completion.js';
import {
  PIN_PAD_KEYS,
  type DataEntryRequest,
  type PinEntryRequest,
  type PinPadErrorCode,
  type PinPadKey,
} from '../contract.js';

const MAX_PIN_LENGTH = 12;

function commandError(errorCode: PinPadErrorCode, message: string): DeviceError<PinPadErrorCode> {
  return new DeviceError('commandErrorCode', message, errorCode);
}

/** The request checks PinEntry and DataEntry share (XFS4IoT Keyboard error codes). */
export function validateEntry(request: PinEntryRequest | DataEntryRequest, keys: readonly PinPadKey[]): void {
  if (request.activeKeys.length === 0) throw commandError('noActivekeys', 'no active keys');
  if (request.terminateKeys.length === 0 && !request.autoEnd) {
    throw commandError('noTerminatekeys', 'no terminate keys and no autoEnd');
  }
  for (const key of [...request.activeKeys, ...request.terminateKeys]) {
    if (!(PIN_PAD_KEYS as readonly string[]).includes(key)) throw commandError('keyInvalid', `unknown key ${key}`);
    if (!keys.includes(key)) throw commandError('keyNotSupported', `no key ${key} on this pad`);
  }
  if (request.entryTimeoutMs !== undefined && !(Number.isInteger(request.entryTimeoutMs) && request.entryTimeoutMs >= 0)) {
    throw new DeviceError('invalidData', 'entryTimeoutMs must be a whole number of ms');
  }
}

/**
 * PinEntry's own checks. The ZT588 itself ends a PIN entry on Enter and Cancel
 * only, so other terminate keys are refused rather than silently ignored.
 */
export function validatePinEntry(request: PinEntryRequest, keys: readonly PinPadKey[]): void {
  validateEntry(request, keys);
  if (!Number.isInteger(request.maxLen) || request.maxLen < 1 || request.maxLen > MAX_PIN_LENGTH) {
    throw new DeviceError('invalidData', `maxLen must be 1..${MAX_PIN_LENGTH}`);
  }
  if (!Number.isInteger(request.minLen) || request.minLen < 0) throw new DeviceError('invalidData', 'minLen must be 0 or more');
  if (request.minLen > request.maxLen) throw commandError('minimumLength', 'minLen exceeds maxLen');
  const other = request.terminateKeys.find((k) => k !== 'enter' && k !== 'cancel');
  if (other !== undefined) throw commandError('keyNotSupported', `the ZT588 cannot end a PIN entry on ${other}`);
}

/** DataEntry's own check. */
export function validateDataEntry(request: DataEntryRequest, keys: readonly PinPadKey[]): void {
  validateEntry(request, keys);
  if (!Number.isInteger(request.maxLen) || request.maxLen < 0) throw new DeviceError('invalidData', 'maxLen must be 0 or more');
  if (request.autoEnd && request.maxLen === 0) throw new DeviceError('invalidData', 'autoEnd needs a maxLen');
}
