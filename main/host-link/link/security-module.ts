import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { kcv } from '../../crypto/kcv.js';
import { retailMac } from '../../crypto/mac.js';
import { encipherPinBlock } from '../../crypto/pin-block.js';
import { tdes } from '../../crypto/tdes.js';

/** Working keys as the 0810 returns them: each encrypted (ECB) under the terminal master key, with its check value. */
export interface EncryptedWorkingKeys {
  readonly pik: Uint8Array;
  readonly pikKcv: Uint8Array;
  readonly mak: Uint8Array;
  readonly makKcv: Uint8Array;
}

export class KeyCheckError extends Error {
  override readonly name = 'KeyCheckError';
}

/**
 * The link's key custodian. Keys under the TMK go in; only MACs come out. In the kiosk the PIK goes
 * to the EPP (PinPad.importKey with decryptKey = TMK and verificationData = KCV) and the MAK to
 * whatever computes MACs; `SoftwareSecurityModule` keeps both in process memory.
 */
export interface SecurityModule {
  /** Decrypts and checks both keys, then replaces the current ones; rejects with KeyCheckError on a KCV mismatch (old keys are kept). */
  installWorkingKeys(keys: EncryptedWorkingKeys): Promise<void>;
  /** True once working keys are installed. */
  readonly ready: boolean;
  /** DE64/DE128 MAC: ISO 9797-1 algorithm 3, padding 1, under the MAK (host-crypto.md §1.6). */
  mac(data: Uint8Array): Promise<Uint8Array>;
}

const checkValue = (key: Uint8Array, length: number): Buffer => kcv(tdes(key), { length });

function unwrapChecked(tmk: Uint8Array, wrapped: Uint8Array, expected: Uint8Array, name: string): Buffer {
  const key = tdes(tmk).decrypt(wrapped);
  const actual = checkValue(key, expected.length);
  if (expected.length < 3 || !timingSafeEqual(actual, expected))
    throw new KeyCheckError(`${name} check value does not match`);
  return key;
}

/**
 * Keys in process memory, decrypted under a TMK given at construction. For the test bench and for
 * kiosks whose MAK is handled in software; its `encipherPin` stands in for the EPP's PIN entry.
 */
export class SoftwareSecurityModule implements SecurityModule {
  #pik: Buffer | null = null;
  #mak: Buffer | null = null;
  readonly #tmk: Buffer;

  constructor(tmk: Uint8Array) {
    this.#tmk = Buffer.from(tmk);
    tdes(this.#tmk); // refuses a bad key length now, not at the first sign-on
  }

  get ready(): boolean {
    return this.#mak !== null;
  }

  async installWorkingKeys(keys: EncryptedWorkingKeys): Promise<void> {
    const pik = unwrapChecked(this.#tmk, keys.pik, keys.pikKcv, 'PIK');
    const mak = unwrapChecked(this.#tmk, keys.mak, keys.makKcv, 'MAK');
    this.#pik = pik;
    this.#mak = mak;
  }

  async mac(data: Uint8Array): Promise<Uint8Array> {
    if (this.#mak === null) throw new KeyCheckError('no MAK installed');
    return retailMac(this.#mak, data, 1);
  }

  /** ISO 9564 format 0 block under the current PIK: what an EPP returns from GetPinBlock. Tests and the bench only. */
  encipherPin(pin: string, pan: string): Uint8Array {
    if (this.#pik === null) throw new KeyCheckError('no PIK installed');
    return encipherPinBlock(tdes(this.#pik), 0, pin, pan);
  }
}
