import { opensslEcb, type BlockCipher } from './block-cipher.js';
import { requireLength } from './bytes.js';

/** SM4 (GB/T 32907) from Node's bundled OpenSSL 3, which ships `sm4-ecb` in the default provider. */
export function sm4(key: Uint8Array): BlockCipher {
  requireLength(key, [16], 'SM4 key');
  return opensslEcb('sm4-ecb', key, 16);
}
