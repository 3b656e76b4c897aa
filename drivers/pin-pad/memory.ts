import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import {
  DIGIT_KEYS,
  KEY_ALGORITHMS,
  PIN_FORMATS,
  PIN_PAD_KEYS,
  type AuthenticationResult,
  type CryptoDataRequest,
  type CryptoDataResult,
  type DataEntryRequest,
  type DataEntryResult,
  type EntryCompletion,
  type GenerateAuthenticationRequest,
  type GetKeyDetailRequest,
  type GetPinBlockRequest,
  type ImportKeyRequest,
  type ImportKeyResult,
  type KeyAlgorithm,
  type KeyDetail,
  type KeyUsage,
  type ModeOfUse,
  type PinBlockResult,
  type PinEntryRequest,
  type PinEntryResult,
  type PinFormat,
  type PinPadCapabilities,
  type PinPadDevice,
  type PinPadErrorCode,
  type PinPadEvents,
  type PinPadKey,
  type PinPadStatus,
} from './contract.js';

/** ECB over whole blocks: `data.length` is a multiple of the algorithm's block size. */
export type BlockCipher = (key: Uint8Array, data: Uint8Array, algorithm: KeyAlgorithm) => Uint8Array;

export interface MemoryPinPadOptions extends MemoryDeviceOptions {
  /** The cipher, injected because environment-neutral code has no crypto library. */
  readonly encryptBlock: BlockCipher;
  readonly decryptBlock: BlockCipher;
  /** Cryptographically random bytes, for the fill of formats 1, 3 and 4. */
  readonly randomBytes: (length: number) => Uint8Array;
  readonly capabilities?: Partial<PinPadCapabilities>;
  /** Whether ImportKey accepts clear values (default true: this is a test-bench device). */
  readonly allowClearKeys?: boolean;
  /** Used when an entry request gives no entryTimeoutMs; default 30 000 ms. */
  readonly entryTimeoutMs?: number;
}

type PinPadCommand =
  | 'pinEntry'
  | 'dataEntry'
  | 'getPinBlock'
  | 'importKey'
  | 'deleteKey'
  | 'getKeyDetail'
  | 'initialization'
  | 'generateAuthentication'
  | 'cryptoData';

type Completion = Exclude<EntryCompletion, 'continue'>;

interface StoredKey {
  readonly usage: KeyUsage;
  readonly algorithm: KeyAlgorithm;
  readonly modeOfUse: ModeOfUse;
  readonly keyLength: number;
  /** Undefined once erased by a tamper response. */
  value: Uint8Array | undefined;
}

const BLOCK_SIZE: Readonly<Record<KeyAlgorithm, number>> = { tdes: 8, aes: 16, sm4: 16 };
const KEY_LENGTHS: Readonly<Record<KeyAlgorithm, readonly number[]>> = {
  tdes: [16, 24],
  aes: [16, 24, 32],
  sm4: [16],
};
const FORMAT_ALGORITHM: Readonly<Record<PinFormat, KeyAlgorithm>> = {
  iso0: 'tdes',
  iso1: 'tdes',
  iso3: 'tdes',
  iso4: 'aes',
  sm4: 'sm4',
};
/** MAC usages this pad computes: ISO 9797-1 algorithm 1 (M0, M1) and algorithm 3 (M3), both TDES. */
const MAC_ALGORITHM: Partial<Record<KeyUsage, 1 | 3>> = { M0: 1, M1: 1, M3: 3 };
const DEFAULT_ENTRY_TIMEOUT_MS = 30_000;
const MAX_PIN_LENGTH = 12;

function commandError(errorCode: PinPadErrorCode, message: string): DeviceError<PinPadErrorCode> {
  return new DeviceError('commandErrorCode', message, errorCode);
}

/** Packs 4-bit values into bytes, high nibble first. */
function packNibbles(nibbles: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = ((nibbles[2 * i] ?? 0) << 4) | (nibbles[2 * i + 1] ?? 0);
  return bytes;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((byte, i) => byte ^ (b[i] ?? 0));
}

/** The default mode of use of a key imported without one (see ImportKeyRequest). */
function defaultModeOfUse(usage: KeyUsage): ModeOfUse {
  if (usage === 'P0') return 'E';
  return usage.startsWith('M') ? 'C' : 'B';
}

/** `0000` + the 12 rightmost PAN digits excluding the check digit, left-padded with zero nibbles to `nibbles`. */
function panField(pan: string, nibbles: number): Uint8Array {
  const digits = [...pan.slice(-13, -1)].map(Number);
  return packNibbles([...new Array<number>(nibbles - 12).fill(0), ...digits]);
}

/**
 * An in-memory EPP. The PIN digits pressed through `pressKey` stay in this
 * object; only their count, key events without digits and encrypted PIN
 * blocks come out.
 */
export class MemoryPinPad
  extends MemoryDevice<PinPadStatus, PinPadEvents, PinPadErrorCode, PinPadCommand>
  implements PinPadDevice
{
  readonly deviceClass = 'pinPad' as const;
  private readonly capabilities: PinPadCapabilities;
  private readonly options: MemoryPinPadOptions;
  private readonly entryWait = this.createWait<Completion>();
  private readonly keys = new Map<string, StoredKey>();
  private onKey: ((key: PinPadKey) => boolean) | undefined;
  private pin: number[] | undefined;

  constructor(options: MemoryPinPadOptions) {
    super(options, { device: 'online', devicePosition: 'inPosition', encryptionState: 'notInitialized', entry: 'none' });
    this.options = options;
    this.capabilities = {
      keys: PIN_PAD_KEYS,
      pinFormats: PIN_FORMATS,
      algorithms: KEY_ALGORITHMS,
      ...options.capabilities,
    };
  }

  getCapabilities(): PinPadCapabilities {
    return this.capabilities;
  }

  pinEntry = (request: PinEntryRequest, signal: AbortSignal) =>
    this.command('pinEntry', signal, async (): Promise<PinEntryResult> => {
      this.validateEntry(request);
      if (!Number.isInteger(request.maxLen) || request.maxLen < 1 || request.maxLen > MAX_PIN_LENGTH) {
        throw new DeviceError('invalidData', `maxLen must be 1..${MAX_PIN_LENGTH}`);
      }
      if (request.minLen > request.maxLen) throw commandError('minimumLength', 'minLen exceeds maxLen');
      this.discardPin();
      const digits: number[] = [];
      const terminate = new Set(request.terminateKeys);
      const completion = await this.collect('pin', request, signal, (key) => {
        if (terminate.has(key)) {
          if (key !== 'cancel' && digits.length < request.minLen) return false;
          this.hub.emit('keyPressed', { completion: key, digit: null });
          return key;
        }
        const digit = DIGIT_KEYS.indexOf(key);
        if (digit >= 0) {
          if (digits.length >= request.maxLen) return false;
          digits.push(digit);
          this.hub.emit('keyPressed', { completion: 'continue', digit: null });
          return request.autoEnd && digits.length === request.maxLen ? 'auto' : true;
        }
        if (key === 'clear') digits.fill(0).splice(0);
        if (key === 'backspace') digits.pop();
        this.hub.emit('keyPressed', { completion: key, digit: null });
        return true;
      }, () => digits.fill(0));
      if (completion === 'cancel') {
        digits.fill(0);
        return { digits: 0, completion };
      }
      this.pin = digits;
      return { digits: digits.length, completion };
    });

  dataEntry = (request: DataEntryRequest, signal: AbortSignal) =>
    this.command('dataEntry', signal, async (): Promise<DataEntryResult> => {
      this.validateEntry(request);
      const keys: PinPadKey[] = [];
      const terminate = new Set(request.terminateKeys);
      const completion = await this.collect('data', request, signal, (key) => {
        if (terminate.has(key)) {
          this.hub.emit('keyPressed', { completion: key, digit: null });
          return key;
        }
        if (request.maxLen > 0 && keys.length >= request.maxLen) return false;
        keys.push(key);
        this.hub.emit('keyPressed', { completion: 'continue', digit: key });
        return request.autoEnd && keys.length === request.maxLen ? 'auto' : true;
      });
      return { keys, completion };
    });

  getPinBlock = (request: GetPinBlockRequest, signal: AbortSignal) =>
    this.command('getPinBlock', signal, (): PinBlockResult => {
      if (!this.capabilities.pinFormats.includes(request.format)) {
        throw commandError('formatNotSupported', `format ${request.format} not supported`);
      }
      const pin = this.pin;
      if (pin === undefined) throw commandError('noPin', 'no PIN entered');
      const key = this.usableKey(request.key);
      if (key.usage !== 'P0' || key.modeOfUse === 'D' || key.algorithm !== FORMAT_ALGORITHM[request.format]) {
        throw commandError('useViolation', `key ${request.key} cannot encrypt ${request.format} PIN blocks`);
      }
      const minPan = request.format === 'iso4' ? 12 : 13;
      if (request.format !== 'iso1' && !new RegExp(`^\\d{${minPan},19}$`).test(request.customerData)) {
        throw new DeviceError('invalidData', 'customerData is not a PAN');
      }
      return { pinBlock: this.pinBlock(pin, request, key.algorithm, key.value) };
    });

  importKey = (request: ImportKeyRequest, signal: AbortSignal) =>
    this.command('importKey', signal, (): ImportKeyResult => {
      if (request.key.length === 0) throw new DeviceError('invalidData', 'key name is empty');
      const value = this.unwrap(request);
      if (!KEY_LENGTHS[request.algorithm].includes(value.length)) {
        throw commandError('invalidKeyLength', `${value.length} bytes is not a ${request.algorithm} key length`);
      }
      const size = BLOCK_SIZE[request.algorithm];
      const check = this.options.encryptBlock(value, new Uint8Array(size), request.algorithm);
      const expected = request.verificationData;
      if (expected !== undefined && (expected.length < 3 || !expected.every((b, i) => check[i] === b))) {
        value.fill(0);
        throw commandError('verificationFailed', `check value of ${request.key} does not match; key discarded`);
      }
      const kcv = check.slice(0, 3);
      const keyLength = value.length * 8;
      this.keys.set(request.key, {
        usage: request.usage,
        algorithm: request.algorithm,
        modeOfUse: request.modeOfUse ?? defaultModeOfUse(request.usage),
        keyLength,
        value,
      });
      this.patchStatus({ encryptionState: 'ready' });
      return { kcv, keyLength };
    });

  deleteKey = (request: { readonly key: string }, signal: AbortSignal) =>
    this.command('deleteKey', signal, () => {
      if (!this.keys.delete(request.key)) throw commandError('keyNotFound', `no key ${request.key}`);
      if (this.keys.size === 0) this.patchStatus({ encryptionState: 'notInitialized' });
    });

  getKeyDetail = (request: GetKeyDetailRequest, signal: AbortSignal) =>
    this.query('getKeyDetail', signal, (): readonly KeyDetail[] => {
      if (request.key !== undefined && !this.keys.has(request.key)) {
        throw commandError('keyNotFound', `no key ${request.key}`);
      }
      return [...this.keys]
        .filter(([name]) => request.key === undefined || name === request.key)
        .map(([name, k]) => ({
          key: name,
          usage: k.usage,
          algorithm: k.algorithm,
          modeOfUse: k.modeOfUse,
          keyLength: k.keyLength,
          keyStatus: k.value === undefined ? 'noValue' : 'loaded',
        }));
    });

  initialization = (_request: void, signal: AbortSignal) =>
    this.command('initialization', signal, () => {
      this.eraseKeys();
      this.keys.clear();
      this.patchStatus({ encryptionState: 'initialized' });
      this.hub.emit('initialized', undefined);
    });

  generateAuthentication = (request: GenerateAuthenticationRequest, signal: AbortSignal) =>
    this.command('generateAuthentication', signal, (): AuthenticationResult => {
      const key = this.usableKey(request.key);
      if (!key.usage.startsWith('M')) throw commandError('useViolation', `key ${request.key} is not a MAC key`);
      if (key.modeOfUse !== 'C' && key.modeOfUse !== 'G') {
        throw commandError('modeOfUseNotSupported', `key ${request.key} may not generate MACs`);
      }
      const algorithm = MAC_ALGORITHM[key.usage];
      if (algorithm === undefined || key.algorithm !== 'tdes' || (algorithm === 3 && key.keyLength !== 128)) {
        throw commandError('cryptoMethodNotSupported', `no MAC for a ${key.algorithm} ${key.usage} key`);
      }
      return { authenticationData: this.mac(algorithm, key.value, request.data) };
    });

  cryptoData = (request: CryptoDataRequest, signal: AbortSignal) =>
    this.command('cryptoData', signal, (): CryptoDataResult => {
      if (request.cryptoMethod !== 'ecb') throw commandError('cryptoMethodNotSupported', `no ${String(request.cryptoMethod)}`);
      const key = this.usableKey(request.key);
      if (key.usage !== 'D0') throw commandError('useViolation', `key ${request.key} is not a data key`);
      if (key.modeOfUse !== 'B' && key.modeOfUse !== request.modeOfUse) {
        throw commandError('modeOfUseNotSupported', `key ${request.key} has mode of use ${key.modeOfUse}`);
      }
      const size = BLOCK_SIZE[key.algorithm];
      if (request.data.length === 0 || request.data.length % size !== 0) {
        throw new DeviceError('invalidData', `data must be whole ${size}-byte blocks`);
      }
      const cipher = request.modeOfUse === 'E' ? this.options.encryptBlock : this.options.decryptBlock;
      return { data: cipher(key.value, request.data, key.algorithm) };
    });

  // ---- test side ----

  /**
   * The customer presses a key: a key name, or '0'..'9' for a digit. Returns
   * whether a running entry took it (inactive keys and keys outside an entry are ignored).
   */
  pressKey(key: PinPadKey | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'): boolean {
    const name = /^\d$/.test(key) ? (DIGIT_KEYS[Number(key)] as PinPadKey) : (key as PinPadKey);
    return this.onKey?.(name) ?? false;
  }

  /** The tamper switch fires: key values are erased, their slots stay as `noValue`. */
  tamper(): void {
    this.eraseKeys();
    this.discardPin();
    this.patchStatus({ encryptionState: 'notReady' });
  }

  // ---- internals ----

  private validateEntry(request: PinEntryRequest | DataEntryRequest): void {
    if (request.activeKeys.length === 0) throw commandError('noActivekeys', 'no active keys');
    if (request.terminateKeys.length === 0 && !request.autoEnd) {
      throw commandError('noTerminatekeys', 'no terminate keys and no autoEnd');
    }
    for (const key of [...request.activeKeys, ...request.terminateKeys]) {
      if (!(PIN_PAD_KEYS as readonly string[]).includes(key)) throw commandError('keyInvalid', `unknown key ${key}`);
      if (!this.capabilities.keys.includes(key)) throw commandError('keyNotSupported', `no key ${key} on this pad`);
    }
  }

  /**
   * Runs an entry: `handle` sees each active key and answers false (ignored),
   * true (taken) or the completion that ends the entry. Every taken key restarts
   * the entry timeout; `onAbandon` runs when the entry ends without a completion.
   */
  private async collect(
    entry: 'pin' | 'data',
    request: PinEntryRequest | DataEntryRequest,
    signal: AbortSignal,
    handle: (key: PinPadKey) => boolean | Completion,
    onAbandon?: () => void,
  ): Promise<Completion> {
    const active = new Set([...request.activeKeys, ...request.terminateKeys]);
    const timeoutMs = request.entryTimeoutMs ?? this.options.entryTimeoutMs ?? DEFAULT_ENTRY_TIMEOUT_MS;
    const done = this.entryWait.wait(signal);
    const restartTimer = (): void => {
      this.entryWait.arm(timeoutMs, () => commandError('entryTimeout', 'no key pressed in time'));
    };
    this.onKey = (key) => {
      if (!active.has(key)) return false;
      const outcome = handle(key);
      if (outcome === false) return false;
      if (outcome === true) restartTimer();
      else this.entryWait.settle(outcome);
      return true;
    };
    this.patchStatus({ entry });
    restartTimer();
    try {
      return await done;
    } catch (err) {
      onAbandon?.();
      throw err;
    } finally {
      this.onKey = undefined;
      this.patchStatus({ entry: 'none' });
    }
  }

  private pinBlock(pin: readonly number[], request: GetPinBlockRequest, algorithm: KeyAlgorithm, key: Uint8Array): Uint8Array {
    const encrypt = (block: Uint8Array): Uint8Array => this.options.encryptBlock(key, block, algorithm);
    const random = (count: number): number[] => [...this.options.randomBytes(count)].map((b) => b & 0x0f);
    const pinNibbles = (control: number, fill: (count: number) => number[], total: number): number[] => [
      control,
      pin.length,
      ...pin,
      ...fill(total - 2 - pin.length),
    ];
    const pad = (nibble: number) => (count: number) => new Array<number>(count).fill(nibble);
    const pan = request.customerData;
    switch (request.format) {
      case 'iso0':
        return encrypt(xor(packNibbles(pinNibbles(0, pad(0xf), 16)), panField(pan, 16)));
      case 'iso1':
        return encrypt(packNibbles(pinNibbles(1, random, 16)));
      case 'iso3':
        // Fill digits are random in A..F so that the block cannot be mistaken for format 0.
        return encrypt(
          xor(packNibbles(pinNibbles(3, (n) => random(n).map((r) => 0xa + (r % 6)), 16)), panField(pan, 16)),
        );
      case 'sm4':
        return encrypt(xor(packNibbles(pinNibbles(0, pad(0xf), 32)), panField(pan, 32)));
      case 'iso4': {
        // ISO 9564-1 format 4: PIN field (4|len|PIN|A-fill|random), PAN field (M|PAN|0-pad), M = len − 12.
        const pinField = packNibbles([...pinNibbles(4, pad(0xa), 16), ...random(16)]);
        const panDigits = [...pan].map(Number);
        const panBlock = packNibbles([pan.length - 12, ...panDigits, ...pad(0)(31 - panDigits.length)]);
        return encrypt(xor(encrypt(pinField), panBlock));
      }
    }
  }

  /**
   * ISO 9797-1 algorithm 1 or 3, padding method 1, over the injected ECB cipher:
   * algorithm 3 chains under K_L alone (K_L‖K_L is single DES) and ends with
   * E(K_L) D(K_R) E(K_L) on the last block, which is TDES under K_L‖K_R.
   */
  private mac(algorithm: 1 | 3, key: Uint8Array, data: Uint8Array): Uint8Array {
    const padded = new Uint8Array(Math.max(1, Math.ceil(data.length / 8)) * 8);
    padded.set(data);
    const left = key.subarray(0, 8);
    const chainKey = algorithm === 3 ? Uint8Array.from([...left, ...left]) : key;
    let h: Uint8Array = new Uint8Array(8);
    for (let off = 0; off < padded.length; off += 8) {
      const last = off + 8 === padded.length;
      h = this.options.encryptBlock(last ? key : chainKey, xor(h, padded.subarray(off, off + 8)), 'tdes');
    }
    return h;
  }

  private unwrap(request: ImportKeyRequest): Uint8Array {
    if (request.decryptKey === undefined) {
      if (this.options.allowClearKeys === false) throw commandError('accessDenied', 'clear key loading is disabled');
      return request.value.slice();
    }
    const kek = this.usableKey(request.decryptKey);
    if (kek.usage !== 'K0' || kek.modeOfUse === 'E') {
      throw commandError('useViolation', `key ${request.decryptKey} cannot unwrap keys`);
    }
    if (request.value.length % BLOCK_SIZE[kek.algorithm] !== 0) {
      throw commandError('invalidKeyLength', 'encrypted value is not whole cipher blocks');
    }
    return this.options.decryptBlock(kek.value, request.value, kek.algorithm);
  }

  private usableKey(name: string): StoredKey & { value: Uint8Array } {
    const key = this.keys.get(name);
    if (key === undefined) throw commandError('keyNotFound', `no key ${name}`);
    const value = key.value;
    if (value === undefined) throw commandError('keyNoValue', `key ${name} has no value`);
    return { ...key, value };
  }

  private eraseKeys(): void {
    for (const key of this.keys.values()) {
      key.value?.fill(0);
      key.value = undefined;
    }
  }

  private discardPin(): void {
    this.pin?.fill(0);
    this.pin = undefined;
  }
}
