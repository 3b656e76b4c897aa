import { Buffer } from 'node:buffer';
import type { BlockCipher } from './block-cipher.js';
import { xor } from './bytes.js';
import { CryptoInputError } from './errors.js';
import { systemRandom, type RandomSource } from './random.js';

/** ISO 9564-1 formats the kiosk sends to a host. Format 2 is card-only (offline VERIFY) and is left out. */
export type PinBlockFormat = 0 | 1 | 3 | 4;

function checkPin(pin: string): void {
  if (!/^\d{4,12}$/.test(pin)) throw new CryptoInputError('BAD_PIN', `PIN must be 4-12 digits, got ${pin.length} characters`);
}

function checkPan(pan: string | undefined): string {
  if (pan === undefined || !/^\d{12,19}$/.test(pan)) {
    throw new CryptoInputError('BAD_PAN', 'PAN must be 12-19 digits');
  }
  return pan;
}

/** One hex nibble per random byte; `span` of 6 gives A-F (format 3), 16 gives 0-F (format 1). */
function randomNibbles(random: RandomSource, count: number, first: number, span: number): string {
  // The modulo bias of at most 4/256 does not matter: fill only has to be unpredictable, not uniform.
  return Array.from(random(count), (b) => (first + (b % span)).toString(16)).join('');
}

/** Formats 0/3 PAN field: 0000 + the 12 rightmost PAN digits excluding the check digit, zero-padded left for 12-digit PANs. */
function panField8(pan: string | undefined): Buffer {
  return Buffer.from(`0000${checkPan(pan).slice(0, -1).slice(-12).padStart(12, '0')}`, 'hex');
}

/** Format 4 PAN field: M (= PAN length − 12) ‖ PAN, zero-filled to 32 nibbles. PANs here are never shorter than 12 digits. */
function panField16(pan: string | undefined): Buffer {
  const digits = checkPan(pan);
  return Buffer.from(`${digits.length - 12}${digits}`.padEnd(32, '0'), 'hex');
}

/** Clear 8-byte ISO 9564 block for formats 0, 1 and 3 (formats 0/3 already XORed with the PAN field). */
export function clearPinBlock(
  format: 0 | 1 | 3,
  pin: string,
  pan: string | undefined,
  random: RandomSource = systemRandom,
): Buffer {
  checkPin(pin);
  const head = `${format}${pin.length.toString(16)}${pin}`;
  const fillCount = 16 - head.length;
  const fill =
    format === 0 ? 'F'.repeat(fillCount) : format === 3 ? randomNibbles(random, fillCount, 10, 6) : randomNibbles(random, fillCount, 0, 16);
  const pinField = Buffer.from(head + fill, 'hex');
  return format === 1 ? pinField : xor(pinField, panField8(pan));
}

/** Fill nibbles each format allows after the PIN digits. */
const FILL_RULE: Record<PinBlockFormat, RegExp> = { 0: /^F*$/i, 1: /^[0-9A-F]*$/i, 3: /^[A-F]*$/i, 4: /^A*$/i };

/** Reads `C N PIN fill` and checks the fill nibbles against what the format allows. */
function parsePinField(field: string, format: PinBlockFormat): string {
  const control = Number.parseInt(field[0]!, 16);
  const n = Number.parseInt(field[1]!, 16);
  const pin = field.slice(2, 2 + n);
  const fill = field.slice(2 + n);
  if (control !== format || n < 4 || n > 12 || !/^\d+$/.test(pin) || !FILL_RULE[format].test(fill)) {
    throw new CryptoInputError('BAD_PIN_BLOCK', `clear block is not a well-formed format ${format} PIN field`);
  }
  return pin;
}

/** Recovers the PIN from a clear format 0/1/3 block. Host and PIN-pad simulators only. */
export function pinFromClearBlock(format: 0 | 1 | 3, block: Uint8Array, pan?: string): string {
  if (block.length !== 8) throw new CryptoInputError('BAD_PIN_BLOCK', `format ${format} block must be 8 bytes`);
  const field = format === 1 ? Buffer.from(block) : xor(block, panField8(pan));
  return parsePinField(field.toString('hex').toUpperCase(), format);
}

/**
 * Enciphered PIN block.
 * - 8-byte cipher (TDES): formats 0/1/3 → E(K, clear block).
 * - 16-byte cipher, format 4 (AES, or SM4 in a format-4-like layout): E(K, E(K, PIN field) ⊕ PAN field).
 * - 16-byte cipher, formats 0/1/3: the 国密 "ISO-0 in SM4" practice, widened with eight 0xFF bytes.
 *   Which widening a bank uses is not public (host-crypto §3.1); confirm against the acquirer's spec.
 */
export function encipherPinBlock(
  cipher: BlockCipher,
  format: PinBlockFormat,
  pin: string,
  pan: string | undefined,
  random: RandomSource = systemRandom,
): Buffer {
  if (format === 4) {
    requireBlockSize(cipher, 16, format);
    checkPin(pin);
    const pinField = Buffer.concat([
      Buffer.from(`4${pin.length.toString(16)}${pin}`.padEnd(16, 'A'), 'hex'),
      Buffer.from(random(8)),
    ]);
    return cipher.encrypt(xor(cipher.encrypt(pinField), panField16(pan)));
  }
  const clear = clearPinBlock(format, pin, pan, random);
  return cipher.encrypt(cipher.blockSize === 8 ? clear : Buffer.concat([clear, Buffer.alloc(8, 0xff)]));
}

/** Inverse of {@link encipherPinBlock}. Host and PIN-pad simulators only. */
export function decipherPinBlock(cipher: BlockCipher, format: PinBlockFormat, epb: Uint8Array, pan?: string): string {
  if (epb.length !== cipher.blockSize) {
    throw new CryptoInputError('BAD_PIN_BLOCK', `enciphered block must be ${cipher.blockSize} bytes, got ${epb.length}`);
  }
  if (format === 4) {
    requireBlockSize(cipher, 16, format);
    const pinField = cipher.decrypt(xor(cipher.decrypt(epb), panField16(pan)));
    return parsePinField(pinField.subarray(0, 8).toString('hex').toUpperCase(), 4);
  }
  const clear = cipher.decrypt(epb);
  if (cipher.blockSize === 16 && !clear.subarray(8).equals(Buffer.alloc(8, 0xff))) {
    throw new CryptoInputError('BAD_PIN_BLOCK', 'widened block does not end in 0xFF padding');
  }
  return pinFromClearBlock(format, clear.subarray(0, 8), pan);
}

function requireBlockSize(cipher: BlockCipher, size: 8 | 16, format: PinBlockFormat): void {
  if (cipher.blockSize !== size) {
    throw new CryptoInputError('UNSUPPORTED', `format ${format} needs a ${size}-byte block cipher`);
  }
}
