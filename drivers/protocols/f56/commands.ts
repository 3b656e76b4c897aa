import { FS } from './frame.js';

/**
 * F56 command DATA (protocols.md §1c): sensor status `00 01 1C`, count/dispense
 * `60 03 15 E4 cnt(4×2) rej(4×2) retries(4) 1C` with counts as two ASCII
 * digits carrying even parity in bit 7. Our vendor extensions start with 0xE0
 * (nonce, present, retract, reject, present-status token, transaction record,
 * reset); the dispense token, when given, sits between the retries and FS.
 */
export const CASSETTES = 4;
export const MAX_COUNT = 99;
export const EXTENSION = 0xe0;
export const EXT = {
  nonce: 0x01,
  clearNonce: 0x02,
  present: 0x03,
  retract: 0x04,
  reject: 0x05,
  presentStatus: 0x06,
  record: 0x07,
  reset: 0x08,
} as const;
export type ExtensionName = keyof typeof EXT;

/** Rejects allowed per cassette before the dispense stops. */
const MAX_REJECTS = 10;
const RETRIES = 3;

/** An ASCII digit with bit 7 set when needed for an even number of one bits. */
export function parityDigit(digit: number): number {
  const c = 0x30 + digit;
  let ones = 0;
  for (let b = c; b > 0; b >>= 1) ones += b & 1;
  return ones % 2 === 1 ? c | 0x80 : c;
}

/** Reads a parity digit back; undefined when the parity or the digit is wrong. */
export function fromParityDigit(byte: number): number | undefined {
  const digit = (byte & 0x7f) - 0x30;
  if (digit < 0 || digit > 9 || parityDigit(digit) !== byte) return undefined;
  return digit;
}

export function twoDigits(n: number): number[] {
  return [parityDigit(Math.floor(n / 10)), parityDigit(n % 10)];
}

export const SENSOR_STATUS = Uint8Array.of(0x00, 0x01, FS);

export function dispenseCommand(counts: readonly number[], token?: string): Uint8Array {
  if (counts.length !== CASSETTES || counts.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_COUNT)) {
    throw new RangeError(`${CASSETTES} counts of 0..${MAX_COUNT} expected`);
  }
  if (token !== undefined && !/^[!-~]{1,1024}$/.test(token)) throw new RangeError('token must be printable ASCII');
  return Uint8Array.from([
    0x60,
    0x03,
    0x15,
    0xe4,
    ...counts.flatMap(twoDigits),
    ...counts.flatMap(() => twoDigits(MAX_REJECTS)),
    ...new Array<number>(4).fill(parityDigit(RETRIES)),
    ...Array.from(token ?? '', (c) => c.charCodeAt(0)),
    FS,
  ]);
}

export function extensionCommand(name: ExtensionName, text = ''): Uint8Array {
  if (!/^[!-~]*$/.test(text)) throw new RangeError('extension text must be printable ASCII');
  return Uint8Array.from([EXTENSION, EXT[name], ...Array.from(text, (c) => c.charCodeAt(0)), FS]);
}
