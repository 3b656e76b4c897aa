import { Buffer } from 'node:buffer';
import { opensslEcb, type BlockCipher } from './block-cipher.js';
import { requireLength } from './bytes.js';

/**
 * DES/TDES block cipher for 8-, 16- or 24-byte keys.
 * OpenSSL 3 moved single DES (`des-ecb`) to the legacy provider, which Node 20 does not
 * load by default, so a single-DES key K runs as two-key TDES with K‖K (E(K) D(K) E(K) = E(K)).
 */
export function tdes(key: Uint8Array): BlockCipher {
  requireLength(key, [8, 16, 24], 'DES/TDES key');
  if (key.length === 24) return opensslEcb('des-ede3-ecb', key, 8);
  const twoKey = key.length === 8 ? Buffer.concat([key, key]) : key;
  return opensslEcb('des-ede-ecb', twoKey, 8);
}

/** Sets each byte's low bit so the byte has odd parity (DES key convention, EMV MK derivation). */
export function withOddParity(key: Uint8Array): Buffer {
  const out = Buffer.from(key);
  for (let i = 0; i < out.length; i++) {
    let ones = 0;
    for (let b = out[i]! >> 1; b !== 0; b >>= 1) ones += b & 1;
    out[i] = (out[i]! & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}
