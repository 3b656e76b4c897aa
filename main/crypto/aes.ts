import { opensslEcb, type BlockCipher } from './block-cipher.js';
import { requireLength } from './bytes.js';

export function aes(key: Uint8Array): BlockCipher {
  requireLength(key, [16, 24, 32], 'AES key');
  return opensslEcb(`aes-${key.length * 8}-ecb`, key, 16);
}
