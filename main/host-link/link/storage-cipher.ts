import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { aes } from '../../crypto/aes.js';
import { GCM_IV_BYTES, GCM_TAG_BYTES, gcmOpen, gcmSeal } from '../../crypto/aes-gcm.js';
import { kcv } from '../../crypto/kcv.js';
import { systemRandom, type RandomSource } from '../../crypto/random.js';
import type { Db } from './db.js';

/**
 * Keeps the link's data key wrapped under a key the link never sees. In the kiosk that key is the
 * PIN pad's data storage key (PinPad.cryptoData under a D0 key that stays in the EPP); see
 * main/runtime/banking/pin-pad-keys.ts. Both calls may reject (pad offline, key erased).
 */
export interface DataKeyWrapper {
  wrap(dataKey: Uint8Array): Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

/** The data key could not be made, unwrapped or checked, or a sealed value does not open. */
export class StorageKeyError extends Error {
  override readonly name = 'StorageKeyError';
}

/** AES-256 data key; sealed values are `01 | IV(12) | tag(16) | ciphertext`. */
const DATA_KEY_BYTES = 32;
const FORMAT = 0x01;
const HEADER = 1 + GCM_IV_BYTES + GCM_TAG_BYTES;
const KEY_NAME = 'link-data';

const checkValue = (key: Uint8Array): Buffer => kcv(aes(key), { method: 'cmac-zeros' });

/**
 * AES-256-GCM for the link's data at rest (a reversal's cardholder fields). The data key is made on
 * first use, wrapped by the DataKeyWrapper and stored only wrapped (with its CMAC check value) in
 * the link's SQLite file; the clear key lives in this object's memory from `unlock` to `lock`. A
 * copy of the file without the PIN pad that wrapped the key opens nothing.
 */
export class StorageCipher {
  #key: Buffer | null = null;
  #unlocking: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly wrapper: DataKeyWrapper,
    private readonly random: RandomSource = systemRandom,
  ) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS data_keys (name TEXT PRIMARY KEY, wrapped BLOB NOT NULL, check_value BLOB NOT NULL)`,
    );
  }

  /** Unwraps the data key (or makes and wraps the first one). Rejects with StorageKeyError; a later call tries again. */
  unlock(): Promise<void> {
    if (this.#key !== null) return Promise.resolve();
    this.#unlocking ??= this.#load().finally(() => {
      this.#unlocking = null;
    });
    return this.#unlocking;
  }

  /** Forgets the clear data key. */
  lock(): void {
    this.#key?.fill(0);
    this.#key = null;
  }

  /** Encrypts `plaintext` bound to `aad` (which must be stored or known apart: it is not in the output). */
  seal(plaintext: Uint8Array, aad: Uint8Array): Buffer {
    const iv = Buffer.from(this.random(GCM_IV_BYTES));
    const { ciphertext, tag } = gcmSeal(this.#require(), iv, plaintext, aad);
    return Buffer.concat([Buffer.of(FORMAT), iv, tag, ciphertext]);
  }

  open(sealed: Uint8Array, aad: Uint8Array): Buffer {
    const key = this.#require();
    if (sealed.length < HEADER || sealed[0] !== FORMAT) throw new StorageKeyError('not a sealed value');
    const iv = sealed.subarray(1, 1 + GCM_IV_BYTES);
    const tag = sealed.subarray(1 + GCM_IV_BYTES, HEADER);
    try {
      return gcmOpen(key, iv, { ciphertext: sealed.subarray(HEADER), tag }, aad);
    } catch {
      throw new StorageKeyError('sealed value does not open under the data key');
    }
  }

  #require(): Buffer {
    if (this.#key === null) throw new StorageKeyError('the data key is locked');
    return this.#key;
  }

  async #load(): Promise<void> {
    const row = this.db.prepare(`SELECT wrapped, check_value FROM data_keys WHERE name = ?`).get(KEY_NAME) as
      | { wrapped: Buffer; check_value: Buffer }
      | undefined;
    if (row === undefined) {
      this.#key = await this.#create();
      return;
    }
    const key = Buffer.from(await this.#call(() => this.wrapper.unwrap(row.wrapped)));
    if (key.length !== DATA_KEY_BYTES || !timingSafeEqual(checkValue(key), row.check_value)) {
      key.fill(0);
      throw new StorageKeyError('the unwrapped data key fails its check value (another PIN pad or storage key?)');
    }
    this.#key = key;
  }

  async #create(): Promise<Buffer> {
    const key = Buffer.from(this.random(DATA_KEY_BYTES));
    const wrapped = await this.#call(() => this.wrapper.wrap(key));
    const back = await this.#call(() => this.wrapper.unwrap(wrapped));
    if (back.length !== key.length || !timingSafeEqual(back, key)) {
      key.fill(0);
      throw new StorageKeyError('the wrapping key does not give the data key back');
    }
    this.db
      .prepare(`INSERT INTO data_keys (name, wrapped, check_value) VALUES (?, ?, ?)`)
      .run(KEY_NAME, Buffer.from(wrapped), checkValue(key));
    return key;
  }

  async #call(step: () => Promise<Uint8Array>): Promise<Uint8Array> {
    try {
      return await step();
    } catch (err) {
      throw new StorageKeyError(`data key wrapper failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
