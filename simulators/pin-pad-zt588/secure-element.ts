import { Buffer } from 'node:buffer';
import { aes } from '../../main/crypto/aes.js';
import type { BlockCipher } from '../../main/crypto/block-cipher.js';
import { retailMac } from '../../main/crypto/mac.js';
import { encipherPinBlock, type PinBlockFormat } from '../../main/crypto/pin-block.js';
import type { RandomSource } from '../../main/crypto/random.js';
import { tdes } from '../../main/crypto/tdes.js';
import { EPP_ERRORS, EppError } from './epp-error.js';
import type { KeyStore, StoredKey } from './key-store.js';

/** Bytes of each length code: 0–2 DES/2TDES/3TDES (documented), 3–5 AES-128/192/256 (extension). */
const KEY_BYTES: readonly number[] = [8, 16, 24, 16, 24, 32];
const KEY_TYPES = new Set([1, 2, 3, 5, 6]);
const TMK_TYPES = new Set([1, 2]);
const TPK_TYPE = 3;
const TAK_TYPE = 5;
const TDK_TYPE = 6;
/** Length code of a double-length TDES key, the only TAK the retail MAC takes. */
const DOUBLE_TDES = 1;

/** Format characters of `6`/`7` the simulator builds blocks for; `$` (ISO 4, AES) is the extension. */
const FORMATS: Readonly<Record<string, PinBlockFormat>> = { ' ': 0, '!': 1, '#': 3, $: 4 };

function isAes(key: StoredKey): boolean {
  return key.lengthCode >= 3;
}

function cipherOf(key: StoredKey): BlockCipher {
  return isAes(key) ? aes(key.value) : tdes(key.value);
}

/**
 * The cryptographic core: loads keys (clear, or decrypted under a TMK), answers
 * check values, builds PIN blocks under a TPK, MACs under a TAK and en/decrypts
 * under a TDK. Key values never leave it except into the key store file, the
 * simulator's stand-in for battery-backed RAM.
 */
export class SecureElement {
  constructor(
    private readonly store: KeyStore,
    private readonly random: RandomSource,
    private readonly aesSupported: boolean,
  ) {}

  loadPlain(slot: number, type: number, lengthCode: number, value: Uint8Array): Uint8Array {
    this.checkAttributes(type, lengthCode);
    if (value.length !== KEY_BYTES[lengthCode]) throw new EppError(EPP_ERRORS.keySize, 'key length does not match its code');
    return this.install(slot, { type, lengthCode, value: value.slice() });
  }

  loadEncrypted(under: number, slot: number, type: number, lengthCode: number, cryptogram: Uint8Array): Uint8Array {
    this.checkAttributes(type, lengthCode);
    const kek = this.store.get(under);
    if (!kek) throw new EppError(EPP_ERRORS.tmkRequired, 'no key under which to decrypt');
    if (!TMK_TYPES.has(kek.type) || isAes(kek) !== lengthCode >= 3) {
      throw new EppError(EPP_ERRORS.incompatible, 'decrypt key is not a TMK of the same algorithm');
    }
    const cipher = cipherOf(kek);
    if (cryptogram.length !== KEY_BYTES[lengthCode] || cryptogram.length % cipher.blockSize !== 0) {
      throw new EppError(EPP_ERRORS.keySize, 'cryptogram length does not match the key length code');
    }
    return this.install(slot, { type, lengthCode, value: cipher.decrypt(cryptogram) });
  }

  delete(slot: number): void {
    if (!this.store.delete(slot)) throw new EppError(EPP_ERRORS.keyNotFound, 'slot is empty');
  }

  detail(slot: number): StoredKey {
    const key = this.store.get(slot);
    if (!key) throw new EppError(EPP_ERRORS.keyNotFound, 'slot is empty');
    return key;
  }

  /** Encrypts `pin` under the TPK in `slot`; the caller wipes its copy of the PIN afterwards. */
  pinBlock(pin: string, slot: number, formatChar: string, pan: string): Uint8Array {
    const format = FORMATS[formatChar];
    if (format === undefined) throw new EppError(EPP_ERRORS.parameter, 'PIN block format not supported');
    const key = this.store.get(slot);
    if (!key) throw new EppError(EPP_ERRORS.keyNotFound, 'no PIN key in slot');
    if (key.type !== TPK_TYPE || isAes(key) !== (format === 4)) {
      throw new EppError(EPP_ERRORS.incompatible, 'key is not a PIN key for this format');
    }
    if (pin.length < 4) throw new EppError(EPP_ERRORS.data, 'PIN shorter than 4 digits');
    return Uint8Array.from(encipherPinBlock(cipherOf(key), format, pin, format === 1 ? undefined : pan, this.random));
  }

  /** ISO 9797-1 algorithm 3 (ANSI X9.19), padding 1, under the double-length TDES TAK in `slot`. */
  mac(slot: number, message: Uint8Array): Uint8Array {
    const key = this.store.get(slot);
    if (!key) throw new EppError(EPP_ERRORS.keyNotFound, 'no MAC key in slot');
    if (key.type !== TAK_TYPE || key.lengthCode !== DOUBLE_TDES) {
      throw new EppError(EPP_ERRORS.incompatible, 'key is not a double-length TDES TAK');
    }
    return Uint8Array.from(retailMac(key.value, message, 1));
  }

  /** ECB under the TDK in `slot`: `E` encrypts, `D` decrypts whole blocks. */
  crypt(slot: number, mode: string, data: Uint8Array): Uint8Array {
    const key = this.store.get(slot);
    if (!key) throw new EppError(EPP_ERRORS.keyNotFound, 'no data key in slot');
    if (key.type !== TDK_TYPE) throw new EppError(EPP_ERRORS.incompatible, 'key is not a TDK');
    const cipher = cipherOf(key);
    if (data.length === 0 || data.length % cipher.blockSize !== 0) {
      throw new EppError(EPP_ERRORS.data, 'data is not whole cipher blocks');
    }
    if (mode === 'E') return Uint8Array.from(cipher.encrypt(data));
    if (mode === 'D') return Uint8Array.from(cipher.decrypt(data));
    throw new EppError(EPP_ERRORS.parameter, 'crypt mode is E or D');
  }

  private checkAttributes(type: number, lengthCode: number): void {
    if (!KEY_TYPES.has(type) || KEY_BYTES[lengthCode] === undefined) {
      throw new EppError(EPP_ERRORS.parameter, 'unknown key type or length code');
    }
    if (lengthCode >= 3 && !this.aesSupported) throw new EppError(EPP_ERRORS.parameter, 'this model has no AES');
  }

  /** Stores the key and answers its check value: 4 bytes of a zero block encrypted under it. */
  private install(slot: number, key: StoredKey): Uint8Array {
    const cipher = cipherOf(key);
    const check = Uint8Array.from(cipher.encrypt(Buffer.alloc(cipher.blockSize)).subarray(0, 4));
    this.store.put(slot, key);
    return check;
  }
}
