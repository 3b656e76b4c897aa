import { GS } from './commands.js';

/**
 * QR code through GS ( k (Epson "2D code" commands, cn = 49 for QR). Every
 * function is `1D 28 6B pL pH 31 fn …`, with pL + 256·pH counting the bytes
 * from cn on.
 */

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** Module size in dots, 1..16. */
  readonly moduleSize: number;
  readonly errorCorrection: QrErrorCorrection;
}

const QR_CN = 0x31;
const FN_MODEL = 0x41;
const FN_MODULE_SIZE = 0x43;
const FN_ERROR_CORRECTION = 0x45;
const FN_STORE = 0x50;
const FN_PRINT = 0x51;
/** Model 2 (n1 = 50), the model every current reader expects. */
const MODEL_2 = 0x32;
/** Error-correction levels are n = 48..51 for L, M, Q, H. */
const ERROR_CORRECTION_CODES: Readonly<Record<QrErrorCorrection, number>> = { L: 48, M: 49, Q: 50, H: 51 };
/** The symbol-storage area holds at most 7089 bytes (numeric model 2, version 40). */
export const QR_MAX_DATA = 7089;

function qrFunction(fn: number, parameters: readonly number[]): Uint8Array {
  const length = parameters.length + 2;
  return Uint8Array.of(GS, 0x28, 0x6b, length & 0xff, length >> 8, QR_CN, fn, ...parameters);
}

/** Selects model 2, module size and error correction, stores `data` and prints the symbol. */
export function qrCodeCommands(data: Uint8Array, options: QrOptions): Uint8Array[] {
  if (data.length < 1 || data.length > QR_MAX_DATA) throw new RangeError(`QR data of ${data.length} bytes`);
  const { moduleSize } = options;
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) {
    throw new RangeError(`QR module size ${moduleSize} is outside 1..16`);
  }
  return [
    qrFunction(FN_MODEL, [MODEL_2, 0x00]),
    qrFunction(FN_MODULE_SIZE, [moduleSize]),
    qrFunction(FN_ERROR_CORRECTION, [ERROR_CORRECTION_CODES[options.errorCorrection]]),
    // m = 48 is fixed for "store in the symbol storage area".
    qrFunction(FN_STORE, [0x30, ...data]),
    qrFunction(FN_PRINT, [0x30]),
  ];
}
