import type { Clock } from '../../common/clock.js';
import { PollLoop } from '../../common/poll-loop.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, DeviceTimeoutError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import { PendingWait } from '../../common/memory-device.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type { ByteTransport } from '../../common/transport.js';
import {
  CRYPT_CHUNK_BYTES,
  MAC_CHUNK_BYTES,
  MAX_MAC_BYTES,
  cryptData as cryptDataCommand,
  deleteKey as deleteKeyCommand,
  generateMac,
  getPinBlock as getPinBlockCommand,
  loadEncryptedKey,
  loadPlainKey,
  loadScanCodes,
  misc,
  readKeyDetail,
  readUserInfo,
  setHexMode,
  setInputTimeout,
  setPinLength,
  setPinMask,
  startPinEntry,
  type Zt588Command,
} from '../../protocols/zt588/commands.js';
import { Zt588DeviceError } from '../../protocols/zt588/errors.js';
import { DEFAULT_PIN_MASK, DEFAULT_SCAN_CODES, decodeKeyReport, type KeyReport } from '../../protocols/zt588/keys.js';
import {
  parseCheckValue,
  parseCryptData,
  parseKeyDetail,
  parseMac,
  parsePinBlock,
  parseReply,
  parseUserInfo,
  Zt588ReplyError,
  type Zt588UserInfo,
} from '../../protocols/zt588/reply.js';
import {
  DIGIT_KEYS,
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
  type KeyDetail,
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
} from '../contract.js';
import { validateDataEntry, validatePinEntry } from './entry-request.js';
import { USAGE_OF_TYPE, keyTypeFor, lengthCodeFor, lengthOfCode } from './key-attributes.js';
import { MATRIX_TO_XFS, ZT588_KEYS } from './key-map.js';
import { toPinPadError, type ReplyContext } from './reply-errors.js';
import { Zt588Link } from './zt588-link.js';

export interface Zt588PinPadOptions {
  /** Status poll interval, ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** How long the EPP has to answer one frame, ms (protocols.md §5a: 1000). */
  readonly answerTimeoutMs?: number;
  /** Resends of an unanswered command (§5a: 4). Polls are never resent. */
  readonly retries?: number;
  /** Consecutive unanswered polls before the pad is reported offline. Default 2. */
  readonly missedPollsOffline?: number;
  /** Entry timeout when a request gives none, ms. Default 30 000. */
  readonly entryTimeoutMs?: number;
  /**
   * Key names → EPP key slots. The ZT588 stores keys by slot, not name.
   * Default: TMK 0x00, PIK 0x40, MAK 0x41, TDK 0x42 (smartware: TPK = 0x40 + 8 × set),
   * and DSK 0x43, the kiosk's own data storage key (not a host working key).
   */
  readonly keySlots?: Readonly<Record<string, number>>;
  /** Whether clear key loading is allowed (test bench). Default true. */
  readonly allowClearKeys?: boolean;
  /**
   * Reads the DSR line where the transport can (the EPP holds it high while
   * powered). Omitted on pseudo-terminals, which reject modem ioctls; presence
   * then comes from polling alone.
   */
  readonly dataSetReady?: () => Promise<boolean>;
}

const DEFAULT_KEY_SLOTS: Readonly<Record<string, number>> = { TMK: 0x00, PIK: 0x40, MAK: 0x41, TDK: 0x42, DSK: 0x43 };
/** The EPP binds nothing at `6`: the key and PAN are given with `7`, as XFS4IoT orders the commands. */
const PAN_PLACEHOLDER = '000000000000';
const MAX_DEVICE_TIMEOUT_S = 255;

const PAN_PATTERN: Readonly<Record<PinFormat, RegExp>> = {
  iso0: /^\d{13,19}$/,
  iso1: /^\d*$/,
  iso3: /^\d{13,19}$/,
  iso4: /^\d{12,19}$/,
  sm4: /^\d{13,19}$/,
};

const INITIAL_STATUS: PinPadStatus = {
  device: 'offline',
  devicePosition: 'inPosition',
  encryptionState: 'notInitialized',
  entry: 'none',
};

type Completion = Exclude<EntryCompletion, 'continue'>;
/** What a key report does to an entry: ignored, taken (restarts the timeout), or ends it. */
type KeyOutcome = boolean | Completion;

function commandError(errorCode: PinPadErrorCode, message: string): DeviceError<PinPadErrorCode> {
  return new DeviceError('commandErrorCode', message, errorCode);
}

/** `complete`, with a reply of the wrong shape reported as the device's fault rather than ours. */
function guarded<T, E extends string>(body: () => Promise<T>): Promise<DeviceResult<T, E>> {
  return complete<T, E>(async () => {
    try {
      return await body();
    } catch (err) {
      throw err instanceof Zt588ReplyError ? new DeviceError('hardwareError', err.message) : err;
    }
  });
}

/**
 * A Zhengtong ZT588 encrypting PIN pad on a serial line. The EPP holds the keys
 * and the PIN: this driver sees PIN digits only as mask bytes, sends keys
 * encrypted (or in clear on the bench), and receives PIN blocks encrypted. It
 * needs no cryptography of its own.
 */
export class Zt588PinPad implements PinPadDevice {
  readonly deviceClass = 'pinPad' as const;
  readonly id: string;
  private readonly clock: Clock;
  private readonly hub = new EventHub<PinPadEvents>();
  private readonly store = new StatusStore<PinPadStatus, PinPadEvents>(INITIAL_STATUS, this.hub);
  private readonly queue = new CommandQueue();
  private readonly link: Zt588Link;
  private readonly entryWait: PendingWait<Completion>;
  private readonly options: Required<Omit<Zt588PinPadOptions, 'dataSetReady'>> &
    Pick<Zt588PinPadOptions, 'dataSetReady'>;
  private capabilities: PinPadCapabilities = {
    keys: ZT588_KEYS,
    pinFormats: ['iso0', 'iso1', 'iso3'],
    algorithms: ['tdes'],
  };
  private onKeyReport: ((report: KeyReport) => KeyOutcome) | undefined;
  private restartEntryTimer: (() => void) | undefined;
  private initialised = false;
  private missedPolls = 0;
  private readonly polls: PollLoop;
  private offData: Unsubscribe | undefined;

  constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    options: Zt588PinPadOptions = {},
  ) {
    this.id = context.id;
    this.clock = context.clock;
    this.entryWait = new PendingWait(this.clock);
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      answerTimeoutMs: options.answerTimeoutMs ?? 1000,
      retries: options.retries ?? 4,
      missedPollsOffline: options.missedPollsOffline ?? 2,
      entryTimeoutMs: options.entryTimeoutMs ?? 30_000,
      keySlots: options.keySlots ?? DEFAULT_KEY_SLOTS,
      allowClearKeys: options.allowClearKeys ?? true,
      dataSetReady: options.dataSetReady,
    };
    this.link = new Zt588Link(
      transport,
      this.clock,
      { answerTimeoutMs: this.options.answerTimeoutMs, retries: this.options.retries },
      (byte) => this.onKeyByte(byte),
    );
    this.polls = new PollLoop(
      this.clock,
      () => this.options.pollIntervalMs,
      () =>
        this.poll().then(
          () => undefined,
          () => undefined,
        ),
    );
  }

  getStatus(): PinPadStatus {
    return this.store.get();
  }

  getCapabilities(): PinPadCapabilities {
    return this.capabilities;
  }

  on<K extends keyof PinPadEvents>(type: K, listener: (payload: PinPadEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    try {
      await this.transport.open(signal);
    } catch (err) {
      return fail<never>('hardwareError', `cannot open ${this.transport.description}: ${String(err)}`);
    }
    this.offData ??= this.transport.onClose(() => this.markOffline('link closed'));
    this.link.start();
    const result = await guarded<Zt588UserInfo, never>(() => this.poll());
    this.polls.start();
    if (result.completionCode !== 'success') return result;
    const info = result.payload;
    return ok({
      modelName: `Zhengtong ${info.model}`,
      serialNumber: info.serialNumber,
      firmware: `${info.hardwareVersion}-${info.softwareVersion}`,
      protocol: 'zt588',
    });
  }

  async close(): Promise<void> {
    this.polls.stop();
    this.entryWait.reject(new DeviceError('deviceNotReady', 'PIN pad closed'));
    this.offData?.();
    this.offData = undefined;
    this.link.stop();
    await this.transport.close();
  }

  pinEntry = (request: PinEntryRequest, signal: AbortSignal) =>
    this.run<PinEntryResult>(signal, async () => {
      validatePinEntry(request, this.capabilities.keys);
      const timeoutMs = request.entryTimeoutMs ?? this.options.entryTimeoutMs;
      const active = new Set([...request.activeKeys, ...request.terminateKeys]);
      let digits = 0;
      const emit = (key: PinPadKey): void => {
        if (active.has(key)) this.hub.emit('keyPressed', { completion: key, digit: null });
      };
      const completion = await this.collect(
        'pin',
        timeoutMs,
        signal,
        [
          setPinLength('min', request.minLen),
          setPinLength('max', request.maxLen),
          setInputTimeout(timeoutMs === 0 ? 0 : Math.min(MAX_DEVICE_TIMEOUT_S, Math.ceil(timeoutMs / 1000))),
          startPinEntry(0, 'iso0', 0, request.autoEnd ? request.maxLen : 0, PAN_PLACEHOLDER),
        ],
        (report) => {
          if (report.kind === 'entryEnded')
            throw commandError('entryTimeout', 'the EPP ended the entry at its input time limit');
          if (report.kind === 'maskedDigit') {
            if (digits >= request.maxLen) return false;
            digits += 1;
            this.hub.emit('keyPressed', { completion: 'continue', digit: null });
            return request.autoEnd && digits === request.maxLen ? 'auto' : true;
          }
          const key = MATRIX_TO_XFS[report.key];
          // A clear digit is never a PIN-mode report: line noise.
          if (DIGIT_KEYS.includes(key)) return false;
          // The EPP itself ends the entry on Enter (only once minLen digits are in) and Cancel,
          // and applies Clear and Backspace whether or not the request made them active.
          if (key === 'enter' || key === 'cancel') {
            this.hub.emit('keyPressed', { completion: key, digit: null });
            return key;
          }
          if (key === 'clear') digits = 0;
          if (key === 'backspace') digits = Math.max(0, digits - 1);
          emit(key);
          return true;
        },
      );
      return { digits: completion === 'cancel' ? 0 : digits, completion };
    });

  dataEntry = (request: DataEntryRequest, signal: AbortSignal) =>
    this.run<DataEntryResult>(signal, async () => {
      validateDataEntry(request, this.capabilities.keys);
      const timeoutMs = request.entryTimeoutMs ?? this.options.entryTimeoutMs;
      const active = new Set(request.activeKeys);
      const terminate = new Set(request.terminateKeys);
      const keys: PinPadKey[] = [];
      const completion = await this.collect('data', timeoutMs, signal, [misc('enableInput')], (report) => {
        if (report.kind !== 'key') return false;
        const key = MATRIX_TO_XFS[report.key];
        if (terminate.has(key)) {
          this.hub.emit('keyPressed', { completion: key, digit: null });
          return key;
        }
        if (!active.has(key) || (request.maxLen > 0 && keys.length >= request.maxLen)) return false;
        keys.push(key);
        this.hub.emit('keyPressed', { completion: 'continue', digit: key });
        return request.autoEnd && keys.length === request.maxLen ? 'auto' : true;
      });
      await this.command(misc('disableInput'));
      return { keys, completion };
    });

  getPinBlock = (request: GetPinBlockRequest, signal: AbortSignal) =>
    this.run<PinBlockResult>(signal, async () => {
      if (!this.capabilities.pinFormats.includes(request.format) || request.format === 'sm4') {
        throw commandError('formatNotSupported', `format ${request.format} not supported`);
      }
      if (!PAN_PATTERN[request.format].test(request.customerData)) {
        throw new DeviceError('invalidData', 'customerData is not a PAN');
      }
      const pan = request.format === 'iso1' ? '' : request.customerData;
      const body = await this.command(
        getPinBlockCommand({ slot: this.slotOf(request.key), format: request.format, pan }),
        'pinBlock',
      );
      return { pinBlock: parsePinBlock(body).pinBlock };
    });

  importKey = (request: ImportKeyRequest, signal: AbortSignal) =>
    this.run<ImportKeyResult>(signal, async () => {
      const slot = this.slotOf(request.key);
      if (!this.capabilities.algorithms.includes(request.algorithm)) {
        throw new DeviceError('unsupportedData', `this EPP has no ${request.algorithm} keys`);
      }
      const type = keyTypeFor(request.usage);
      const lengthCode = lengthCodeFor(request.algorithm, request.value.length);
      if (
        request.verificationData !== undefined &&
        (request.verificationData.length < 3 || request.verificationData.length > 4)
      ) {
        throw new DeviceError('invalidData', 'verificationData must be a 3- or 4-byte check value');
      }
      let command: Zt588Command;
      if (request.decryptKey === undefined) {
        if (!this.options.allowClearKeys) throw commandError('accessDenied', 'clear key loading is disabled');
        command = loadPlainKey(slot, type, lengthCode, request.value);
      } else {
        command = loadEncryptedKey(this.slotOf(request.decryptKey), slot, type, lengthCode, request.value);
      }
      const kcv = parseCheckValue(await this.command(command));
      const expected = request.verificationData;
      if (expected !== undefined && !expected.every((b, i) => kcv[i] === b)) {
        await this.command(deleteKeyCommand(slot));
        throw commandError('verificationFailed', `check value of ${request.key} does not match; key discarded`);
      }
      this.store.update({ encryptionState: 'ready' });
      return { kcv: kcv.slice(0, 3), keyLength: request.value.length * 8 };
    });

  deleteKey = (request: { readonly key: string }, signal: AbortSignal) =>
    this.run<void>(signal, async () => {
      await this.command(deleteKeyCommand(this.slotOf(request.key)));
    });

  /** Not queued: answered at once, even while an entry runs. */
  getKeyDetail = (request: GetKeyDetailRequest, _signal: AbortSignal) =>
    guarded<readonly KeyDetail[], PinPadErrorCode>(async () => {
      this.assertOnline();
      const names = request.key === undefined ? Object.keys(this.options.keySlots) : [request.key];
      const details: KeyDetail[] = [];
      for (const name of names) {
        const detail = await this.keyDetail(name);
        if (detail) details.push(detail);
        else if (request.key !== undefined) throw commandError('keyNotFound', `no key ${name}`);
      }
      return details;
    });

  initialization = (_request: void, signal: AbortSignal) =>
    this.run<void>(signal, async () => {
      await this.command(misc('wipe'));
      this.store.update({ encryptionState: 'initialized' });
      this.hub.emit('initialized', undefined);
    });

  /** `H` piece by piece (extension): the TAK computes ISO 9797-1 algorithm 3, padding 1. */
  generateAuthentication = (request: GenerateAuthenticationRequest, signal: AbortSignal) =>
    this.run<AuthenticationResult>(signal, async () => {
      if (request.data.length > MAX_MAC_BYTES)
        throw new DeviceError('invalidData', `the EPP MACs at most ${MAX_MAC_BYTES} bytes`);
      const slot = this.slotOf(request.key);
      for (let offset = 0; ; offset += MAC_CHUNK_BYTES) {
        const last = offset + MAC_CHUNK_BYTES >= request.data.length;
        const body = await this.command(
          generateMac(slot, offset, last, request.data.subarray(offset, offset + MAC_CHUNK_BYTES)),
        );
        if (last) return { authenticationData: parseMac(body) };
      }
    });

  /** `F` frame by frame (extension); ECB is blockwise, so the data splits anywhere on a block boundary. */
  cryptoData = (request: CryptoDataRequest, signal: AbortSignal) =>
    this.run<CryptoDataResult>(signal, async () => {
      if (request.cryptoMethod !== 'ecb')
        throw commandError('cryptoMethodNotSupported', `no ${String(request.cryptoMethod)}`);
      if (request.data.length === 0 || request.data.length % 8 !== 0) {
        throw new DeviceError('invalidData', 'data must be whole cipher blocks');
      }
      const slot = this.slotOf(request.key);
      const out = new Uint8Array(request.data.length);
      for (let offset = 0; offset < request.data.length; offset += CRYPT_CHUNK_BYTES) {
        const piece = request.data.subarray(offset, offset + CRYPT_CHUNK_BYTES);
        out.set(
          parseCryptData(await this.command(cryptDataCommand(slot, request.modeOfUse, piece)), piece.length),
          offset,
        );
      }
      return { data: out };
    });

  /** Sounds the EPP's buzzer once (control `5 0 =`). */
  beep = (_request: void, signal: AbortSignal) =>
    this.run<void>(signal, async () => {
      await this.command(misc('beep'));
    });

  /** Polls now instead of waiting for the next tick. */
  refreshStatus = (_request: void, signal: AbortSignal) =>
    this.queue.run(signal, () =>
      guarded<PinPadStatus, PinPadErrorCode>(async () => {
        await this.poll();
        return this.store.get();
      }),
    );

  // ---- internals ----

  private run<T>(signal: AbortSignal, body: () => Promise<T>): Promise<DeviceResult<T, PinPadErrorCode>> {
    return this.queue.run(signal, () =>
      guarded<T, PinPadErrorCode>(() => {
        this.assertOnline();
        return body();
      }),
    );
  }

  private assertOnline(): void {
    const { device } = this.store.get();
    if (device !== 'online') throw new DeviceError('deviceNotReady', `PIN pad is ${device}`);
  }

  private slotOf(name: string): number {
    const slot = this.options.keySlots[name];
    if (slot === undefined) throw commandError('keyNotFound', `no key slot configured for ${name}`);
    return slot;
  }

  /** Sends one command and returns the body of its successful reply; error replies become PinPad failures. */
  private async command(command: Zt588Command, context: ReplyContext = 'other', retries?: number): Promise<string> {
    const text = await this.link.exchange(command, retries);
    try {
      return parseReply(text).body;
    } catch (err) {
      if (err instanceof Zt588DeviceError) throw toPinPadError(err, context);
      throw err;
    }
  }

  private async keyDetail(name: string): Promise<KeyDetail | undefined> {
    let body: string;
    try {
      body = await this.command(readKeyDetail(this.slotOf(name)));
    } catch (err) {
      if (err instanceof DeviceError && err.errorCode === 'keyNotFound') return undefined;
      throw err;
    }
    const { type, lengthCode } = parseKeyDetail(body);
    const usage = USAGE_OF_TYPE[type];
    const length = lengthOfCode(lengthCode);
    if (!usage || !length) throw new DeviceError('hardwareError', `EPP reports unknown key type ${type}/${lengthCode}`);
    return {
      key: name,
      usage,
      algorithm: length.algorithm,
      modeOfUse: usage === 'P0' ? 'E' : usage.startsWith('M') ? 'C' : 'B',
      keyLength: length.keyLength,
      keyStatus: 'loaded',
    };
  }

  /**
   * Runs an entry: `start` commands switch the EPP into it, then key reports go
   * to `handle` until it returns a completion. Every taken key restarts the
   * timeout. On timeout, cancel or a failed start, key input is disabled, which
   * makes the EPP discard a partial PIN.
   */
  private async collect(
    entry: 'pin' | 'data',
    timeoutMs: number,
    signal: AbortSignal,
    start: readonly Zt588Command[],
    handle: (report: KeyReport) => KeyOutcome,
  ): Promise<Completion> {
    const done = this.entryWait.wait(signal);
    done.catch(() => undefined);
    this.restartEntryTimer = () =>
      this.entryWait.arm(timeoutMs, () => commandError('entryTimeout', 'no key pressed in time'));
    this.onKeyReport = handle;
    try {
      for (const command of start) await this.command(command);
      // Reported only now: the EPP acknowledged the start and is collecting keys.
      this.store.update({ entry });
      this.restartEntryTimer();
      return await done;
    } catch (err) {
      this.entryWait.reject(err);
      await this.command(misc('disableInput')).catch(() => undefined);
      throw err;
    } finally {
      this.onKeyReport = undefined;
      this.restartEntryTimer = undefined;
      this.store.update({ entry: 'none' });
    }
  }

  private onKeyByte(byte: number): void {
    const handle = this.onKeyReport;
    if (!handle) return;
    const report = decodeKeyReport(byte, DEFAULT_SCAN_CODES, DEFAULT_PIN_MASK);
    if (!report) return;
    try {
      const outcome = handle(report);
      if (outcome === true) this.restartEntryTimer?.();
      else if (outcome !== false) this.entryWait.settle(outcome);
    } catch (err) {
      this.entryWait.reject(err);
    }
  }

  /**
   * Reads the user information (one `3`, never resent); (re)initialises the
   * EPP first when it was not, or was lost. Misses count towards offline.
   */
  private async poll(): Promise<Zt588UserInfo> {
    if (this.options.dataSetReady && !(await this.options.dataSetReady())) {
      this.markOffline('DSR low: EPP not powered or not connected');
      throw new DeviceError('deviceNotReady', 'DSR is low');
    }
    try {
      if (!this.initialised) await this.initialise();
      const info = parseUserInfo(await this.command(readUserInfo(), 'other', 0));
      this.missedPolls = 0;
      this.applyUserInfo(info);
      return info;
    } catch (err) {
      if (err instanceof DeviceTimeoutError) {
        this.missedPolls += 1;
        if (this.missedPolls >= this.options.missedPollsOffline) this.markOffline('no answer to user information');
      }
      throw err;
    }
  }

  /** Hex mode, our scan codes and mask, key input off: the state every command here assumes. */
  private async initialise(): Promise<void> {
    await this.command(setHexMode(), 'other', 0);
    await this.command(loadScanCodes(DEFAULT_SCAN_CODES));
    await this.command(setPinMask(DEFAULT_PIN_MASK));
    await this.command(misc('disableInput'));
    this.initialised = true;
  }

  private applyUserInfo(info: Zt588UserInfo): void {
    const aes = info.functionCode.includes('A');
    this.capabilities = {
      keys: ZT588_KEYS,
      pinFormats: aes ? ['iso0', 'iso1', 'iso3', 'iso4'] : ['iso0', 'iso1', 'iso3'],
      algorithms: aes ? ['tdes', 'aes'] : ['tdes'],
    };
    const current = this.store.get().encryptionState;
    const encryptionState = info.settings.blank ? (current === 'initialized' ? current : 'notInitialized') : 'ready';
    this.store.update({ device: 'online', encryptionState, detail: `${info.model} ok` });
  }

  private markOffline(detail: string): void {
    this.initialised = false;
    this.store.update({ device: 'offline', detail });
  }
}
