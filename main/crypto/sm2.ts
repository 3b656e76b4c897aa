import { Buffer } from 'node:buffer';
import smCrypto from 'sm-crypto';
import { CryptoInputError } from './errors.js';

/**
 * SM2 (GB/T 32918) through sm-crypto. Node's own `SM2` curve support signs plain ECDSA without
 * the Z_A user-ID digest, so its signatures do not interoperate (host-crypto §3.4).
 * Keys are hex as sm-crypto expects: private 64 hex, public uncompressed `04…` 130 hex.
 */

const { sm2 } = smCrypto;

/** GB/T 32918 default user ID, used for Z_A when the counterpart specifies none. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

/** GM/T 0009 ciphertext order C1‖C3‖C2 (sm-crypto mode 1); legacy peers may still use C1‖C2‖C3. */
export type Sm2CipherOrder = 'C1C3C2' | 'C1C2C3';

export interface Sm2KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

/** SM3-with-Z_A signature as a DER-encoded SEQUENCE { r, s }. */
export function sm2Sign(message: Uint8Array, privateKey: string, publicKey: string, userId = SM2_DEFAULT_USER_ID): Buffer {
  const hex = sm2.doSignature(Array.from(message), privateKey, { der: true, hash: true, publicKey, userId });
  return Buffer.from(hex, 'hex');
}

export function sm2Verify(message: Uint8Array, signature: Uint8Array, publicKey: string, userId = SM2_DEFAULT_USER_ID): boolean {
  return sm2.doVerifySignature(Array.from(message), Buffer.from(signature).toString('hex'), publicKey, {
    der: true,
    hash: true,
    userId,
  });
}

/** sm-crypto emits C1 without the 04 point prefix; keep its raw form so peers using the same library match. */
export function sm2Encrypt(plaintext: Uint8Array, publicKey: string, order: Sm2CipherOrder = 'C1C3C2'): Buffer {
  return Buffer.from(sm2.doEncrypt(Array.from(plaintext), publicKey, order === 'C1C3C2' ? 1 : 0), 'hex');
}

export function sm2Decrypt(ciphertext: Uint8Array, privateKey: string, order: Sm2CipherOrder = 'C1C3C2'): Buffer {
  const out = sm2.doDecrypt(Buffer.from(ciphertext).toString('hex'), privateKey, order === 'C1C3C2' ? 1 : 0, {
    output: 'array',
  }) as unknown as number[];
  // sm-crypto signals a bad C1 point or failed C3 check by an empty result, not an exception;
  // a genuine plaintext is always exactly C1 (64) + C3 (32) bytes shorter than the ciphertext.
  if (out.length !== ciphertext.length - 96) {
    throw new CryptoInputError('MAC_MISMATCH', 'SM2 ciphertext does not decrypt (bad C1 point or C3 check)');
  }
  return Buffer.from(out);
}
