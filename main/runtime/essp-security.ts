import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EsspSecurity } from '../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import type { BlockCipher } from '../../drivers/protocols/essp/encryption.js';

/** AES-128-ECB, one block at a time, as the eSSP link encrypts. */
export function aes128(key: Uint8Array): BlockCipher {
  const run = (decrypt: boolean, data: Uint8Array): Uint8Array => {
    const c = decrypt ? createDecipheriv('aes-128-ecb', key, null) : createCipheriv('aes-128-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
  };
  return { encrypt: (d) => run(false, d), decrypt: (d) => run(true, d) };
}

/** The eSSP link's cipher and randomness; drivers may not import node:crypto, so the runtime injects them. */
export const esspSecurity: EsspSecurity = {
  cipherFor: aes128,
  random: (n) => new Uint8Array(randomBytes(n)),
};
