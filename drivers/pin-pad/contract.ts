import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Encrypting PIN pad (EPP), after the XFS4IoT Keyboard (PinEntry, DataEntry,
 * KeyEvent), PinPad (GetPinBlock), KeyManagement (ImportKey, DeleteKey,
 * GetKeyDetail, Initialization) and Crypto (GenerateAuthentication, CryptoData)
 * subsets a kiosk needs.
 *
 * The PIN never leaves the EPP in clear: PinEntry reports only how many digits
 * were entered, key events carry `digit: null` for PIN digits, and the PIN can
 * only be read out as an encrypted PIN block. Key values never leave it either;
 * GetKeyDetail reports attributes, and ImportKey answers with a check value.
 * Message MACs and data encryption run inside it under keys it holds.
 */

/** PinPad errorCode values (XFS4IoT Keyboard/PinPad/KeyManagement), used with `commandErrorCode`. */
export const PIN_PAD_ERROR_CODES = [
  'keyInvalid',
  'keyNotSupported',
  'noActivekeys',
  'noTerminatekeys',
  'minimumLength',
  'entryTimeout',
  'keyNotFound',
  'accessDenied',
  'keyNoValue',
  'useViolation',
  'noPin',
  'formatNotSupported',
  'invalidKeyLength',
  /** ImportKey: the key's check value differs from `verificationData`; the key was not kept. */
  'verificationFailed',
  /** GenerateAuthentication / CryptoData: the key's mode of use does not allow the operation. */
  'modeOfUseNotSupported',
  /** GenerateAuthentication / CryptoData: the pad cannot compute the MAC algorithm or cipher mode asked for. */
  'cryptoMethodNotSupported',
] as const;
export type PinPadErrorCode = (typeof PIN_PAD_ERROR_CODES)[number];

/** XFS4IoT key names of the EPP's keys (digits, control keys, the FDKs beside the screen). */
export const PIN_PAD_KEYS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'enter',
  'cancel',
  'clear',
  'backspace',
  'help',
  'decPoint',
  'doubleZero',
  'fdk01',
  'fdk02',
  'fdk03',
  'fdk04',
  'fdk05',
  'fdk06',
  'fdk07',
  'fdk08',
] as const;
export type PinPadKey = (typeof PIN_PAD_KEYS)[number];

/** The ten digit keys, in value order (index = digit). */
export const DIGIT_KEYS = PIN_PAD_KEYS.slice(0, 10) as readonly PinPadKey[];

/**
 * Why an entry ended or what a key event means: the terminating key's name,
 * `auto` (autoEnd reached maxLen), or `continue` for a key that did not end it.
 */
export type EntryCompletion = PinPadKey | 'auto' | 'continue';

/** ISO 9564 formats, plus `sm4`: the format-0 layout widened to SM4's 16-byte block (China UnionPay). */
export const PIN_FORMATS = ['iso0', 'iso1', 'iso3', 'iso4', 'sm4'] as const;
export type PinFormat = (typeof PIN_FORMATS)[number];

/** Key algorithms; the XFS adapter maps them to TR-31 `T` and `A` (SM4 has no TR-31 code). */
export const KEY_ALGORITHMS = ['tdes', 'aes', 'sm4'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** TR-31 (ANSI X9.143) key usage codes accepted by ImportKey. */
export const KEY_USAGES = [
  'B0', 'B1', 'B2', 'B3',
  'C0',
  'D0', 'D1', 'D2', 'D3',
  'E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7',
  'I0',
  'K0', 'K1', 'K2', 'K3', 'K4',
  'M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8',
  'P0', 'P1',
  'S0', 'S1', 'S2',
  'V0', 'V1', 'V2', 'V3', 'V4', 'V5',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** TR-31 mode of use: E encrypt/wrap only, D decrypt/unwrap only, B both, G/C/V MAC, N none. */
export type ModeOfUse = 'B' | 'C' | 'D' | 'E' | 'G' | 'N' | 'S' | 'T' | 'V' | 'X' | 'Y';

/** XFS4IoT encryptionState: `notInitialized` until a key is loaded. */
export type EncryptionState = 'ready' | 'notReady' | 'notInitialized' | 'busy' | 'initialized';

export interface PinPadStatus extends CommonStatus {
  readonly encryptionState: EncryptionState;
  /** Which entry is collecting keys, if any. */
  readonly entry: 'none' | 'pin' | 'data';
}

export interface PinPadCapabilities {
  /** The keys physically present. */
  readonly keys: readonly PinPadKey[];
  readonly pinFormats: readonly PinFormat[];
  readonly algorithms: readonly KeyAlgorithm[];
}

interface EntryRequestBase {
  /** Keys that count for the entry; other keys are ignored. Must not be empty. */
  readonly activeKeys: readonly PinPadKey[];
  /** Keys that end the entry (implicitly active). Required unless `autoEnd`. */
  readonly terminateKeys: readonly PinPadKey[];
  /** Ends the entry with `auto` as soon as `maxLen` keys/digits are in. */
  readonly autoEnd: boolean;
  /**
   * Longest wait for the first key and between keys, in ms; the entry then fails
   * with `entryTimeout`. 0 = no limit. Omitted = the device's configured value
   * (the in-memory device: 30 000 ms).
   */
  readonly entryTimeoutMs?: number;
}

/**
 * `clear` empties the digits and `backspace` removes one when they are active
 * and not terminate keys. A terminate key other than `cancel` is ignored until
 * `minLen` digits are in; digits beyond `maxLen` are ignored.
 */
export interface PinEntryRequest extends EntryRequestBase {
  /** 0 = no minimum. Must not exceed `maxLen` (else `minimumLength`). */
  readonly minLen: number;
  /** 1..12 (ISO 9564). */
  readonly maxLen: number;
}

export interface PinEntryResult {
  /** How many digits the PIN has; the digits stay inside the EPP. */
  readonly digits: number;
  /** `cancel` discards the digits. */
  readonly completion: Exclude<EntryCompletion, 'continue'>;
}

/** Clear-text entry (amounts, menu choices): every non-terminating active key is returned. */
export interface DataEntryRequest extends EntryRequestBase {
  /** Maximum number of keys collected; 0 = no limit. */
  readonly maxLen: number;
}

export interface DataEntryResult {
  /** Non-terminating keys in the order pressed. */
  readonly keys: readonly PinPadKey[];
  readonly completion: Exclude<EntryCompletion, 'continue'>;
}

export interface GetPinBlockRequest {
  /** Name of a loaded PIN encryption key (usage P0). */
  readonly key: string;
  /**
   * The full PAN as decimal digits. Formats 0, 3 and sm4 take its 12 rightmost
   * digits excluding the check digit; format 4 the whole PAN; format 1 ignores it.
   */
  readonly customerData: string;
  readonly format: PinFormat;
}

export interface PinBlockResult {
  /** 8 bytes for iso0/1/3 (TDES), 16 for iso4 (AES) and sm4. */
  readonly pinBlock: Uint8Array;
}

export interface ImportKeyRequest {
  /** The name the key is stored under; an existing key of that name is replaced. */
  readonly key: string;
  readonly usage: KeyUsage;
  readonly algorithm: KeyAlgorithm;
  /** Defaults to `E` for P0 keys, `C` (generate and verify) for MAC keys (M*), `B` otherwise. */
  readonly modeOfUse?: ModeOfUse;
  /**
   * The key value: ECB-encrypted under `decryptKey` (a loaded K0 key), or in clear
   * when `decryptKey` is omitted. Clear loading is for the test bench and key
   * ceremonies: a production EPP refuses it with `accessDenied`.
   */
  readonly value: Uint8Array;
  readonly decryptKey?: string;
  /**
   * The check value the key must have (XFS4IoT verificationData, KCV method):
   * 3 or 4 bytes of a zero block encrypted under the key. A mismatch fails with
   * `verificationFailed` and the key is not kept. Omitted = not checked.
   */
  readonly verificationData?: Uint8Array;
}

export interface ImportKeyResult {
  /** Key check value: the first 3 bytes of a zero block encrypted under the key. */
  readonly kcv: Uint8Array;
  /** Key length in bits. */
  readonly keyLength: number;
}

export interface KeyDetail {
  readonly key: string;
  readonly usage: KeyUsage;
  readonly algorithm: KeyAlgorithm;
  readonly modeOfUse: ModeOfUse;
  readonly keyLength: number;
  /** `noValue` for a key slot whose value was lost (e.g. tamper). */
  readonly keyStatus: 'loaded' | 'noValue';
}

/**
 * Crypto.GenerateAuthentication with a MAC key. The key's TR-31 usage names the
 * algorithm, padding method 1 (zeros) throughout: M0/M1 ISO 9797-1 algorithm 1
 * (TDES CBC-MAC), M3 algorithm 3 (the retail MAC of ANSI X9.19, double-length
 * TDES). Other MAC usages fail with `cryptoMethodNotSupported`; a key that is
 * not a MAC key with `useViolation`, one whose mode of use is neither C nor G
 * with `modeOfUseNotSupported`.
 */
export interface GenerateAuthenticationRequest {
  /** Name of a loaded MAC key (usage M0, M1 or M3). */
  readonly key: string;
  /** The whole message; the pad pads it. */
  readonly data: Uint8Array;
}

export interface AuthenticationResult {
  /** The full final block (8 bytes for TDES); the caller truncates if its protocol wants fewer. */
  readonly authenticationData: Uint8Array;
}

/**
 * Crypto.CryptoData with a data key (usage D0): ECB over whole cipher blocks,
 * no padding. Encrypting needs mode of use B or E, decrypting B or D
 * (`modeOfUseNotSupported`); data that is not whole blocks is `invalidData`.
 */
export interface CryptoDataRequest {
  readonly key: string;
  /** XFS4IoT modeOfUse of the operation: E encrypt, D decrypt. */
  readonly modeOfUse: 'E' | 'D';
  /** Only `ecb`; anything else fails with `cryptoMethodNotSupported`. */
  readonly cryptoMethod: 'ecb';
  readonly data: Uint8Array;
}

export interface CryptoDataResult {
  readonly data: Uint8Array;
}

export interface GetKeyDetailRequest {
  /** Omitted = every key. */
  readonly key?: string;
}

export interface PinPadEvents extends CommonDeviceEvents<PinPadStatus> {
  /**
   * Solicited (PinEntry/DataEntry): an active key was pressed.
   * PinEntry: `digit` is always null (the EPP never reveals a PIN digit);
   * `completion` is `continue` for a digit, else the key's name.
   * DataEntry: `{continue, <key>}` for a collected key, `{<key>, null}` for the terminating one.
   */
  keyPressed: { readonly completion: EntryCompletion; readonly digit: PinPadKey | null };
  /** Unsolicited: all keys were deleted (Initialization or tamper response). */
  initialized: undefined;
}

export interface PinPadDevice extends Device<PinPadStatus, PinPadEvents> {
  readonly deviceClass: 'pinPad';
  getCapabilities(): PinPadCapabilities;
  /**
   * Collects a PIN inside the EPP. Fails with keyInvalid, keyNotSupported,
   * noActivekeys, noTerminatekeys, minimumLength (request errors) or entryTimeout;
   * `canceled` when the signal aborts. A new entry discards the previous PIN.
   */
  pinEntry: DeviceCommand<PinEntryRequest, PinEntryResult, PinPadErrorCode>;
  /** Collects clear keys. Same request errors as pinEntry, and entryTimeout. */
  dataEntry: DeviceCommand<DataEntryRequest, DataEntryResult, PinPadErrorCode>;
  /**
   * Encrypts the last entered PIN. Fails with noPin, keyNotFound, keyNoValue,
   * useViolation (not a P0 key, or the key's algorithm does not fit the format),
   * formatNotSupported, or `invalidData` for a malformed PAN.
   */
  getPinBlock: DeviceCommand<GetPinBlockRequest, PinBlockResult, PinPadErrorCode>;
  /**
   * Loads a key. Fails with keyNotFound / keyNoValue / useViolation for the
   * decrypt key, invalidKeyLength, accessDenied (clear load refused).
   */
  importKey: DeviceCommand<ImportKeyRequest, ImportKeyResult, PinPadErrorCode>;
  /** Fails with keyNotFound. */
  deleteKey: DeviceCommand<{ readonly key: string }, void, PinPadErrorCode>;
  /** Answered at once, even during an entry. Fails with keyNotFound for a named missing key. */
  getKeyDetail: DeviceCommand<GetKeyDetailRequest, readonly KeyDetail[], PinPadErrorCode>;
  /** Deletes every key and any PIN held, then emits `initialized`. */
  initialization: DeviceCommand<void, void, PinPadErrorCode>;
  /** A MAC computed inside the pad (see GenerateAuthenticationRequest). Fails with keyNotFound, keyNoValue too. */
  generateAuthentication: DeviceCommand<GenerateAuthenticationRequest, AuthenticationResult, PinPadErrorCode>;
  /** Encrypts or decrypts under a data key inside the pad (see CryptoDataRequest). Fails with keyNotFound, keyNoValue too. */
  cryptoData: DeviceCommand<CryptoDataRequest, CryptoDataResult, PinPadErrorCode>;
}
