import { DeviceError } from '../../common/completion.js';
import type { Zt588DeviceError } from '../../protocols/zt588/errors.js';
import type { PinPadErrorCode } from '../contract.js';

/** Which command an error reply answered: E9 "incorrect data" to `7` means there is no PIN to encrypt. */
export type ReplyContext = 'pinBlock' | 'other';

/** Maps an EPP error reply to the PinPad completion, in one place. */
export function toPinPadError(err: Zt588DeviceError, context: ReplyContext): DeviceError<PinPadErrorCode> {
  const code = (errorCode: PinPadErrorCode): DeviceError<PinPadErrorCode> =>
    new DeviceError('commandErrorCode', err.message, errorCode);
  switch (err.errorName) {
    case 'imkRequired':
    case 'tmkRequired':
    case 'keyNotFound':
      return code('keyNotFound');
    case 'keyIncompatible':
      return code('useViolation');
    case 'keySize':
      return code('invalidKeyLength');
    case 'authRequired':
    case 'authLocked':
      return code('accessDenied');
    case 'inputTimeout':
      return code('entryTimeout');
    case 'dataError':
      return context === 'pinBlock' ? code('noPin') : new DeviceError('invalidData', err.message);
    case 'keyParity':
    case 'keyInvalid':
    case 'commandLength':
    case 'parameterError':
      return new DeviceError('invalidData', err.message);
    case 'lowBattery':
    case 'generalError':
    case 'undocumented':
      return new DeviceError('hardwareError', err.message);
  }
}
