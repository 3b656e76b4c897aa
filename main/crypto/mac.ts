import { Buffer } from 'node:buffer';
import type { BlockCipher } from './block-cipher.js';
import { requireLength, xor } from './bytes.js';
import { CryptoInputError } from './errors.js';
import { tdes } from './tdes.js';

/** ISO 9797-1 padding method 1 (zeros) or 2 (0x80 then zeros). */
export type MacPadding = 1 | 2;

export function padIso9797(data: Uint8Array, blockSize: number, method: MacPadding): Buffer {
  if (method === 2) {
    const total = (Math.floor(data.length / blockSize) + 1) * blockSize;
    const out = Buffer.alloc(total);
    out.set(data);
    out[data.length] = 0x80;
    return out;
  }
  // Method 1 pads an empty message to one zero block so there is always something to MAC.
  const total = Math.max(1, Math.ceil(data.length / blockSize)) * blockSize;
  const out = Buffer.alloc(total);
  out.set(data);
  return out;
}

/** CBC with a zero IV, keeping only the last block: the chaining value H of ISO 9797-1. */
function cbcChain(cipher: BlockCipher, padded: Uint8Array): Buffer {
  let h: Buffer = Buffer.alloc(cipher.blockSize);
  for (let off = 0; off < padded.length; off += cipher.blockSize) {
    h = cipher.encrypt(xor(h, padded.subarray(off, off + cipher.blockSize)));
  }
  return h;
}

/** ISO 9797-1 MAC algorithm 1 (ANSI X9.9 with a single-DES key). Returns the full block; callers truncate. */
export function cbcMac(cipher: BlockCipher, data: Uint8Array, padding: MacPadding): Buffer {
  return cbcChain(cipher, padIso9797(data, cipher.blockSize, padding));
}

/**
 * ISO 9797-1 MAC algorithm 3, the "retail MAC" (ANSI X9.19): single-DES CBC under K_L,
 * then D(K_R) and E(K_L) on the final block. Used for DE64/DE128 and EMV cryptograms.
 */
export function retailMac(key: Uint8Array, data: Uint8Array, padding: MacPadding): Buffer {
  requireLength(key, [16], 'retail MAC key');
  const left = tdes(key.subarray(0, 8));
  const right = tdes(key.subarray(8, 16));
  return left.encrypt(right.decrypt(cbcMac(left, data, padding)));
}

/** Doubling in GF(2^n) for the CMAC subkeys; Rb is 0x87 for 128-bit blocks and 0x1B for 64-bit ones. */
function dbl(block: Buffer): Buffer {
  const out = Buffer.alloc(block.length);
  for (let i = 0; i < block.length; i++) {
    out[i] = ((block[i]! << 1) & 0xff) | (i + 1 < block.length ? block[i + 1]! >> 7 : 0);
  }
  if (block[0]! & 0x80) out[out.length - 1]! ^= block.length === 16 ? 0x87 : 0x1b;
  return out;
}

/** CMAC (NIST SP 800-38B, ISO 9797-1 algorithm 5) over any block cipher: AES, TDES (TR-31 B) or SM4. */
export function cmac(cipher: BlockCipher, data: Uint8Array): Buffer {
  const n = cipher.blockSize;
  const k1 = dbl(cipher.encrypt(Buffer.alloc(n)));
  const complete = data.length > 0 && data.length % n === 0;
  const padded = complete ? Buffer.from(data) : padIso9797(data, n, 2);
  const lastOff = padded.length - n;
  padded.set(xor(padded.subarray(lastOff), complete ? k1 : dbl(k1)), lastOff);
  return cbcChain(cipher, padded);
}

/**
 * UnionPay POS "ECB" MAC: XOR all zero-padded blocks, expand to 16 uppercase hex
 * characters, E(first 8) ⊕ last 8, encrypt again, and return the first 8 hex characters
 * of the result as ASCII bytes (what goes into DE64).
 */
export function unionPayEcbMac(cipher: BlockCipher, data: Uint8Array): Buffer {
  if (cipher.blockSize !== 8) {
    throw new CryptoInputError('UNSUPPORTED', 'UnionPay ECB-MAC is defined for 8-byte block ciphers only');
  }
  const padded = padIso9797(data, 8, 1);
  let folded: Buffer = Buffer.alloc(8);
  for (let off = 0; off < padded.length; off += 8) folded = xor(folded, padded.subarray(off, off + 8));
  const ascii = Buffer.from(folded.toString('hex').toUpperCase(), 'ascii');
  const second = cipher.encrypt(xor(cipher.encrypt(ascii.subarray(0, 8)), ascii.subarray(8, 16)));
  return Buffer.from(second.toString('hex').toUpperCase().slice(0, 8), 'ascii');
}
