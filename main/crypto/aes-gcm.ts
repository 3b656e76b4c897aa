import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { requireLength } from './bytes.js';
import { CryptoInputError } from './errors.js';

/** SP 800-38D's recommended IV length (96 bits) and a full 128-bit tag. */
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

const gcm = (key: Uint8Array): CipherGCMTypes => `aes-${key.length * 8}-gcm` as CipherGCMTypes;

export interface GcmSealed {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/**
 * AES-GCM (NIST SP 800-38D) encryption with associated data, for what the kiosk keeps at rest.
 * The IV must never repeat under one key: callers draw it at random (2^-32 collision bound holds
 * far beyond the number of records a kiosk seals).
 */
export function gcmSeal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): GcmSealed {
  requireLength(key, [16, 24, 32], 'AES-GCM key');
  requireLength(iv, [GCM_IV_BYTES], 'AES-GCM IV');
  const cipher = createCipheriv(gcm(key), key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** Decrypts and authenticates; a wrong key, IV, tag, AAD or ciphertext throws MAC_MISMATCH. */
export function gcmOpen(key: Uint8Array, iv: Uint8Array, sealed: GcmSealed, aad: Uint8Array): Buffer {
  requireLength(key, [16, 24, 32], 'AES-GCM key');
  requireLength(iv, [GCM_IV_BYTES], 'AES-GCM IV');
  requireLength(sealed.tag, [GCM_TAG_BYTES], 'AES-GCM tag');
  const decipher = createDecipheriv(gcm(key), key, iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new CryptoInputError('MAC_MISMATCH', 'AES-GCM tag does not verify');
  }
}
