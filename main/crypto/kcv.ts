import { Buffer } from 'node:buffer';
import type { BlockCipher } from './block-cipher.js';
import { cmac } from './mac.js';

/**
 * Key check value method: `encrypt-zeros` is host-crypto §3.2's rule (MK/SK sign-on, TDES and
 * SM4 keys); `cmac-zeros` is what X9.24-1:2017 / TR-31:2018 use for AES keys.
 */
export type KcvMethod = 'encrypt-zeros' | 'cmac-zeros';

/** Check value of a key: 3 bytes is common, UnionPay 0810 sign-on returns 4. */
export function kcv(cipher: BlockCipher, options: { method?: KcvMethod; length?: number } = {}): Buffer {
  const zeros = Buffer.alloc(cipher.blockSize);
  const full = options.method === 'cmac-zeros' ? cmac(cipher, zeros) : cipher.encrypt(zeros);
  return full.subarray(0, options.length ?? 3);
}
