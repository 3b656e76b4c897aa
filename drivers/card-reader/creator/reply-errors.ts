import { DeviceError, type FailureCode } from '../../common/completion.js';
import { errorDescription } from '../../protocols/creator/reply.js';
import type { CardReaderErrorCode, DataSourceStatus } from '../contract.js';

/** Reader error codes with a CardReader errorCode of their own; the rest are device or host faults. */
const COMMAND_ERRORS: Readonly<Record<string, CardReaderErrorCode>> = {
  '02': 'noMedia', // cannot execute: on motion and read commands, no card where one is needed
  '10': 'mediaJam',
  '11': 'shutterFail',
  '13': 'cardTooLong',
  '14': 'cardTooShort',
  '16': 'mediaJam',
  '50': 'retainBinFull',
};

const HOST_ERRORS: Readonly<Record<string, FailureCode>> = {
  '00': 'internalError',
  '01': 'internalError',
  '03': 'unsupportedCommand',
  '04': 'internalError',
};

/** The exception a negative reply `N CM PM e1 e0` becomes (text from the code table, no card data). */
export function replyError(command: string, code: string): DeviceError<CardReaderErrorCode> {
  const message = `${command}: reader error ${code} (${errorDescription(code)})`;
  const errorCode = COMMAND_ERRORS[code];
  if (errorCode) return new DeviceError('commandErrorCode', message, errorCode);
  return new DeviceError(HOST_ERRORS[code] ?? 'hardwareError', message);
}

/** A failed track block's status: blank → missing, anything else unreadable. */
export function trackStatus(code: string): DataSourceStatus {
  return code === '24' ? 'dataMissing' : 'dataInvalid';
}
