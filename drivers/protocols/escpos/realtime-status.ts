/**
 * ESC/POS real-time status (DLE EOT n): the host sends `10 04 n` and the
 * printer answers one byte at once, even while busy. Every answer has bits 1
 * and 4 set and bits 0 and 7 clear, which is how an answer is told apart from
 * line noise.
 */

export const DLE = 0x10;
export const EOT = 0x04;

/** The four status pages of DLE EOT. */
export const STATUS_PAGES = {
  printer: 1,
  offlineCause: 2,
  errorCause: 3,
  paperSensor: 4,
} as const;
export type StatusPage = keyof typeof STATUS_PAGES;

const FIXED_MASK = 0x93;
const FIXED_VALUE = 0x12;

export function statusRequest(page: StatusPage): Uint8Array {
  return Uint8Array.of(DLE, EOT, STATUS_PAGES[page]);
}

/** True when `byte` has the fixed bits of a DLE EOT answer. */
export function isStatusByte(byte: number): boolean {
  return (byte & FIXED_MASK) === FIXED_VALUE;
}

export interface PrinterPage {
  readonly offline: boolean;
  readonly waitingForRecovery: boolean;
  readonly feedButtonPressed: boolean;
}
export interface OfflineCausePage {
  readonly coverOpen: boolean;
  readonly feedingByButton: boolean;
  readonly stoppedByPaperEnd: boolean;
  readonly errorOccurred: boolean;
}
export interface ErrorCausePage {
  readonly recoverable: boolean;
  readonly autocutterError: boolean;
  readonly unrecoverable: boolean;
  readonly autoRecoverable: boolean;
}
export interface PaperSensorPage {
  readonly nearEnd: boolean;
  readonly paperEnd: boolean;
}

export interface StatusPages {
  printer: PrinterPage;
  offlineCause: OfflineCausePage;
  errorCause: ErrorCausePage;
  paperSensor: PaperSensorPage;
}

/** Thrown for a byte that cannot be a DLE EOT answer. */
export class EscPosStatusError extends Error {
  override readonly name = 'EscPosStatusError';
}

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

export function decodeStatus<P extends StatusPage>(page: P, byte: number): StatusPages[P] {
  if (!Number.isInteger(byte) || byte < 0 || byte > 0xff || !isStatusByte(byte)) {
    throw new EscPosStatusError(`0x${byte.toString(16)} is not a DLE EOT answer`);
  }
  const decoded: StatusPages = {
    printer: { offline: bit(byte, 3), waitingForRecovery: bit(byte, 5), feedButtonPressed: bit(byte, 6) },
    offlineCause: {
      coverOpen: bit(byte, 2),
      feedingByButton: bit(byte, 3),
      stoppedByPaperEnd: bit(byte, 5),
      errorOccurred: bit(byte, 6),
    },
    errorCause: {
      recoverable: bit(byte, 2),
      autocutterError: bit(byte, 3),
      unrecoverable: bit(byte, 5),
      autoRecoverable: bit(byte, 6),
    },
    // Near-end and paper-end each have two sensor bits; either one set counts.
    paperSensor: { nearEnd: (byte & 0x0c) !== 0, paperEnd: (byte & 0x60) !== 0 },
  };
  return decoded[page];
}
