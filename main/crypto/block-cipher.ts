import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoInputError } from './errors.js';
import { xor } from './bytes.js';

/**
 * A keyed block cipher in ECB mode over whole blocks. Every mode and MAC in this
 * library is written once against this interface and reused for TDES, AES and SM4.
 */
export interface BlockCipher {
  readonly blockSize: 8 | 16;
  encrypt(data: Uint8Array): Buffer;
  decrypt(data: Uint8Array): Buffer;
}

function requireWholeBlocks(data: Uint8Array, blockSize: number): void {
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new CryptoInputError('DATA_LENGTH', `data must be a non-empty multiple of ${blockSize} bytes, got ${data.length}`);
  }
}

/**
 * OpenSSL ECB contexts with padding off: update() returns every complete block at once
 * and never holds one back, so one context per direction serves all calls.
 */
export function opensslEcb(algorithm: string, key: Uint8Array, blockSize: 8 | 16): BlockCipher {
  const enc = createCipheriv(algorithm, key, null).setAutoPadding(false);
  const dec = createDecipheriv(algorithm, key, null).setAutoPadding(false);
  return {
    blockSize,
    encrypt(data) {
      requireWholeBlocks(data, blockSize);
      return enc.update(data);
    },
    decrypt(data) {
      requireWholeBlocks(data, blockSize);
      return dec.update(data);
    },
  };
}

export function cbcEncrypt(cipher: BlockCipher, iv: Uint8Array, data: Uint8Array): Buffer {
  requireWholeBlocks(data, cipher.blockSize);
  const out = Buffer.alloc(data.length);
  let chain: Uint8Array = iv;
  for (let off = 0; off < data.length; off += cipher.blockSize) {
    chain = cipher.encrypt(xor(chain, data.subarray(off, off + cipher.blockSize)));
    out.set(chain, off);
  }
  return out;
}

export function cbcDecrypt(cipher: BlockCipher, iv: Uint8Array, data: Uint8Array): Buffer {
  requireWholeBlocks(data, cipher.blockSize);
  const out = Buffer.alloc(data.length);
  let chain: Uint8Array = iv;
  for (let off = 0; off < data.length; off += cipher.blockSize) {
    const block = data.subarray(off, off + cipher.blockSize);
    out.set(xor(chain, cipher.decrypt(block)), off);
    chain = block;
  }
  return out;
}
