import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { CryptoInputError } from './errors.js';

export function fromHex(hex: string): Buffer {
  if (hex.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new CryptoInputError('BAD_HEX', `not an even-length hex string (${hex.length} chars)`);
  }
  return Buffer.from(hex, 'hex');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export function xor(a: Uint8Array, b: Uint8Array): Buffer {
  if (a.length !== b.length) {
    throw new CryptoInputError('DATA_LENGTH', `xor of ${a.length} and ${b.length} bytes`);
  }
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Constant-time comparison so a MAC check does not leak how many leading bytes matched. */
export function assertMacEqual(expected: Uint8Array, actual: Uint8Array, what: string): void {
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new CryptoInputError('MAC_MISMATCH', `${what} does not verify`);
  }
}

export function requireLength(bytes: Uint8Array, allowed: readonly number[], what: string): void {
  if (!allowed.includes(bytes.length)) {
    throw new CryptoInputError('KEY_LENGTH', `${what} must be ${allowed.join('/')} bytes, got ${bytes.length}`);
  }
}
