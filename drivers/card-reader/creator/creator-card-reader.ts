import { sleep, type Clock } from '../../common/clock.js';
import { PollLoop } from '../../common/poll-loop.js';
import { CommandQueue } from '../../common/command-queue.js';
import {
  CanceledError,
  DeviceError,
  complete,
  fail,
  ok,
  type DeviceResult,
} from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type { ApduTransport, ByteTransport } from '../../common/transport.js';
import {
  DISABLE_ENTRY,
  ENABLE_ENTRY,
  INITIALISE,
  READ_TRACKS,
  SENSORS,
  SET_READ_MODE,
  commandName,
  moveCommand,
  type CreatorCommand,
} from '../../protocols/creator/commands.js';
import {
  decodeSensors,
  parseTracks,
  type CardPlace,
  type CreatorReply,
  type ReaderStatus,
  type TrackBlock,
} from '../../protocols/creator/reply.js';
import type {
  CardBinStatus,
  CardMediaState,
  CardReaderCapabilities,
  CardReaderDevice,
  CardReaderErrorCode,
  CardReaderEvents,
  CardReaderStatus,
  ChipIORequest,
  ChipIOResult,
  ChipPowerRequest,
  ChipPowerResult,
  DataSource,
  MoveCardRequest,
  ReadRawDataRequest,
  ReadRawDataResult,
  ResetCardReaderRequest,
} from '../contract.js';
import { binState } from '../memory.js';
import { CreatorLink } from './creator-link.js';
import { replyError, trackStatus } from './reply-errors.js';

export interface CreatorCardReaderOptions {
  /** Frame address; 0 on RS-232. */
  readonly address?: number;
  /** Status poll period; insertion and removal are seen through it. Default 300 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Poll period while a card waits at the gate: the customer is about to take
   * it, and the screen should move on at once. Default 50 ms.
   */
  readonly takeWatchIntervalMs?: number;
  /** ACK timeout per frame. Default 300 ms. */
  readonly ackTimeoutMs?: number;
  /** ENQ → reply timeout for status and settings (§3a: 1 s). */
  readonly replyTimeoutMs?: number;
  /** ENQ → reply timeout for card motion and track reading. Default 5 s. */
  readonly motionTimeoutMs?: number;
  /** Pause before resending a NAKed frame (§3a: 100 ms). */
  readonly retryDelayMs?: number;
  /** Resends after NAK or a damaged reply (§3a: 3). */
  readonly maxRetries?: number;
  /** Consecutive unanswered polls before the reader is offline. Default 3. */
  readonly missedPollsOffline?: number;
  /** Retained cards at which the bin reports `high`. Default 40. */
  readonly retainThreshold?: number;
  /** Retained cards at which the bin is `full` (the reader's own full sensor also counts). Default 50. */
  readonly retainCapacity?: number;
  /**
   * Cards already in the bin when the driver starts, for a bin the kiosk has
   * no count of yet (the count is kept by the host, not the reader; see `restoreRetainCount`).
   */
  readonly retainCount?: number;
}

type Positive = Extract<CreatorReply, { kind: 'positive' }>;

const MEDIA: Readonly<Record<CardPlace, CardMediaState>> = {
  none: 'notPresent',
  gate: 'entering',
  inside: 'present',
};
const NO_DATA = new Uint8Array(0);
/** Errors the reader reports on the next status request after it refused an inserted card. */
const REFUSED_AT_ENTRY = new Set(['13', '14']);
const JAM_ERRORS = new Set(['10', '16']);
const CARD_PULLED_OUT = '40';
const BIN_FULL = '50';

const noMedia = (message: string): DeviceError<CardReaderErrorCode> =>
  new DeviceError<CardReaderErrorCode>('commandErrorCode', message, 'noMedia');

/**
 * A Creator motorised card reader (CRT-310 class, C/P/N protocol) on a byte
 * transport. Card insertion and removal are seen by polling `C 1 1`; every
 * positive reply also carries the card position, so status follows each command.
 * The chip is reached through an optional PC/SC slot (`chipSlot`) once the card
 * is at the IC position. Track data flows only into ReadRawData's result.
 */
/** How long the chip reader may take to notice a card on the contacts, and the retry step. */
const CHIP_DETECT_MS = 4000;
const CHIP_RETRY_MS = 200;

export class CreatorCardReader implements CardReaderDevice {
  readonly deviceClass = 'cardReader' as const;
  readonly id: string;
  private readonly clock: Clock;
  private readonly hub = new EventHub<CardReaderEvents>();
  private readonly store: StatusStore<CardReaderStatus, CardReaderEvents>;
  private readonly queue = new CommandQueue();
  private readonly link: CreatorLink;
  private readonly options: Required<Omit<CreatorCardReaderOptions, 'address' | 'ackTimeoutMs' | 'replyTimeoutMs' | 'retryDelayMs' | 'maxRetries'>>;
  private readonly polls: PollLoop;
  private missedPolls = 0;
  private offline = true;
  private place: CardPlace | undefined;
  private jammed = false;
  private atIcPosition = false;
  private chipPowered = false;
  private binSensorFull = false;
  private retainCount: number;
  private arrival: { resolve: () => void; reject: (err: unknown) => void } | undefined;

  constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    options: CreatorCardReaderOptions = {},
    private readonly chipSlot?: ApduTransport,
  ) {
    this.id = context.id;
    this.clock = context.clock;
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 300,
      takeWatchIntervalMs: options.takeWatchIntervalMs ?? 50,
      motionTimeoutMs: options.motionTimeoutMs ?? 5000,
      missedPollsOffline: options.missedPollsOffline ?? 3,
      retainThreshold: options.retainThreshold ?? 40,
      retainCapacity: options.retainCapacity ?? 50,
      retainCount: options.retainCount ?? 0,
    };
    this.retainCount = this.options.retainCount;
    this.polls = new PollLoop(
      this.clock,
      () => (this.place === 'gate' ? this.options.takeWatchIntervalMs : this.options.pollIntervalMs),
      () => this.poll().catch(() => this.missedPoll()),
    );
    this.link = new CreatorLink(transport, this.clock, {
      address: options.address ?? 0,
      ackTimeoutMs: options.ackTimeoutMs ?? 300,
      replyTimeoutMs: options.replyTimeoutMs ?? 1000,
      retryDelayMs: options.retryDelayMs ?? 100,
      maxRetries: options.maxRetries ?? 3,
    });
    this.store = new StatusStore<CardReaderStatus, CardReaderEvents>(this.computeStatus(), this.hub);
  }

  getStatus(): CardReaderStatus {
    return this.store.get();
  }

  getCapabilities(): CardReaderCapabilities {
    return { type: 'motor', tracks: [1, 2, 3], chip: this.chipSlot !== undefined, cardTakenSensor: true };
  }

  on<K extends keyof CardReaderEvents>(type: K, listener: (payload: CardReaderEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    try {
      await this.transport.open(signal);
    } catch (err) {
      return fail<never>('hardwareError', `cannot open ${this.transport.description}: ${String(err)}`);
    }
    this.link.start();
    const first = await complete<void, never>(async () => {
      await this.send(INITIALISE);
      await this.send(SET_READ_MODE);
      await this.poll();
    });
    this.polls.start();
    if (first.completionCode !== 'success') return fail<never>(first.completionCode, first.errorDescription);
    return ok({ modelName: 'Creator CRT-310', serialNumber: 'unknown', firmware: 'unknown', protocol: 'creator' });
  }

  async close(): Promise<void> {
    this.polls.stop();
    this.arrival?.reject(new DeviceError('deviceNotReady', 'card reader closed'));
    this.link.stop();
    await this.transport.close();
    await this.chipSlot?.close();
    this.offline = true;
    this.publish();
  }

  readRawData = (request: ReadRawDataRequest, signal: AbortSignal) =>
    this.command(signal, async (): Promise<ReadRawDataResult> => {
      this.assertUsable();
      if (this.place !== 'inside') await this.waitForCard(signal);
      return this.read(request);
    });

  move = (request: MoveCardRequest, signal: AbortSignal) =>
    this.command(signal, async (): Promise<void> => {
      this.assertUsable();
      const here = this.place === 'gate' ? 'exit' : this.place === 'inside' ? 'transport' : undefined;
      if (here === undefined || (request.from !== undefined && request.from !== here)) {
        throw noMedia(`no card at ${request.from ?? 'any position'}`);
      }
      if (request.to === here) return;
      if (request.to === 'exit') return this.eject();
      if (request.to === 'retain') return this.capture('full');
      await this.chipOff();
      await this.send(moveCommand('rf'), this.options.motionTimeoutMs);
      this.atIcPosition = false;
    });

  reset = (request: ResetCardReaderRequest, signal: AbortSignal) =>
    this.command(signal, async (): Promise<void> => {
      if (this.offline) throw new DeviceError('deviceNotReady', 'card reader is offline');
      await this.chipOff();
      await this.send(INITIALISE, this.options.motionTimeoutMs);
      this.jammed = false;
      this.publish();
      if (this.place === 'none' || request.to === 'currentPosition') return;
      if (request.to === 'exit') {
        if (this.place === 'inside') await this.eject();
        return;
      }
      await this.capture('retainBinFull');
    });

  /** The retained cards the kiosk counted (before open, from the ledger; or at recovery, a capture the power cut short). */
  restoreRetainCount(count: number): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`bad retain count ${count}`);
    this.retainCount = count;
    this.publish();
  }

  resetCount = (_request: void, signal: AbortSignal) =>
    this.command(signal, (): Promise<CardBinStatus> => {
      this.retainCount = 0;
      this.publish();
      return Promise.resolve(this.store.get().retainBin);
    });

  chipPower = (request: ChipPowerRequest, signal: AbortSignal) =>
    this.command(signal, async (): Promise<ChipPowerResult> => {
      this.chipReady();
      if (request.action === 'off') {
        await this.chipOff();
        return {};
      }
      return { atr: await this.powerChip() };
    });

  chipIO = (request: ChipIORequest, signal: AbortSignal) =>
    this.command(signal, async (): Promise<ChipIOResult> => {
      const slot = this.chipReady();
      if (!this.chipPowered) throw new DeviceError('sequenceError', 'chip is not powered');
      // CLA INS P1 P2 is the shortest valid command APDU.
      if (request.data.length < 4) {
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'APDU shorter than its header', 'invalidData');
      }
      try {
        return { data: await slot.transmit(request.data, signal) };
      } catch (err) {
        throw new DeviceError('hardwareError', `chip exchange failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });

  // ---- commands ----

  private command<T>(signal: AbortSignal, body: () => Promise<T>): Promise<DeviceResult<T, CardReaderErrorCode>> {
    return complete<T, CardReaderErrorCode>(() => this.queue.run(signal, body));
  }

  private assertUsable(): void {
    if (this.offline) throw new DeviceError('deviceNotReady', 'card reader is offline');
    if (this.jammed) throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'card jammed', 'mediaJam');
  }

  private chipReady(): ApduTransport {
    if (!this.chipSlot) throw new DeviceError('unsupportedCommand', 'no chip contact unit configured');
    this.assertUsable();
    if (this.place !== 'inside') throw noMedia('no card in the reader');
    return this.chipSlot;
  }

  /** Opens the entry and waits until a poll sees the card inside, a refusal, offline, close or abort. */
  private async waitForCard(signal: AbortSignal): Promise<void> {
    const arrived = new Promise<void>((resolve, reject) => {
      this.arrival = { resolve, reject };
    });
    arrived.catch(() => undefined);
    const onAbort = (): void => this.arrival?.reject(new CanceledError('card wait canceled'));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.send(ENABLE_ENTRY);
      if (this.place === 'inside') this.arrival?.resolve();
      this.hub.emit('insertCard', undefined);
      await arrived;
      this.hub.emit('mediaInserted', undefined);
    } finally {
      this.arrival = undefined;
      signal.removeEventListener('abort', onAbort);
      await this.send(DISABLE_ENTRY).catch(() => undefined);
    }
  }

  private async read(request: ReadRawDataRequest): Promise<ReadRawDataResult> {
    const wanted = ([1, 2, 3] as const).filter((n) => request[`track${n}`] === true);
    const result: { -readonly [K in keyof ReadRawDataResult]: DataSource } = {};
    if (wanted.length > 0) {
      const reply = await this.send(READ_TRACKS, this.options.motionTimeoutMs);
      const blocks = parseTracks(reply.data);
      for (const n of wanted) result[`track${n}`] = trackSource(blocks[n - 1] as TrackBlock);
    }
    if (request.chip) result.chip = await this.readChip();
    const sources = Object.values(result);
    if (sources.length > 0 && !sources.some((s) => s.status === 'ok')) {
      this.hub.emit('invalidMedia', undefined);
      await this.eject();
      throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'no readable data on the card', 'invalidMedia');
    }
    return result;
  }

  private async readChip(): Promise<DataSource> {
    if (!this.chipSlot) return { status: 'dataSourceNotSupported', data: NO_DATA };
    try {
      return { status: 'ok', data: await this.powerChip() };
    } catch (err) {
      if (err instanceof DeviceError && err.errorCode === 'atrNotObtained') return { status: 'dataMissing', data: NO_DATA };
      throw err;
    }
  }

  /** Moves the card onto the contacts if needed and cold-resets the chip; returns the ATR. */
  private async powerChip(): Promise<Uint8Array> {
    const slot = this.chipSlot;
    if (!slot) throw new DeviceError('unsupportedCommand', 'no chip contact unit configured');
    if (!this.atIcPosition) {
      await this.send(moveCommand('ic'), this.options.motionTimeoutMs);
      this.atIcPosition = true;
    }
    try {
      // The contact unit is opened on first use, so a kiosk without PC/SC still reads magnetic tracks.
      if (!slot.isOpen) await slot.open();
      const atr = await this.powerOnWhenPresent(slot);
      this.chipPowered = true;
      this.publish();
      return atr;
    } catch (err) {
      this.chipPowered = false;
      this.publish();
      const cause = err instanceof Error ? `: ${err.message}` : '';
      throw new DeviceError<CardReaderErrorCode>('commandErrorCode', `chip did not answer reset${cause}`, 'atrNotObtained');
    }
  }

  /**
   * The contacts land a moment before the chip reader sees the card (PC/SC
   * polls its slots), so power-on is retried for a bounded time.
   */
  private async powerOnWhenPresent(slot: ApduTransport): Promise<Uint8Array> {
    const deadline = this.clock.monotonic() + CHIP_DETECT_MS;
    for (;;) {
      try {
        return await slot.powerOn();
      } catch (err) {
        if (this.clock.monotonic() >= deadline) throw err;
        await sleep(this.clock, CHIP_RETRY_MS);
      }
    }
  }

  private async chipOff(): Promise<void> {
    if (!this.chipPowered) return;
    this.chipPowered = false;
    this.publish();
    await this.chipSlot?.powerOff().catch(() => undefined);
  }

  /** Ejects to the gate; a card the customer pulls out on the way counts as taken. */
  private async eject(): Promise<void> {
    await this.chipOff();
    const cmd = moveCommand('gate');
    const reply = await this.request(cmd, this.options.motionTimeoutMs);
    if (reply.kind === 'negative' && reply.error === CARD_PULLED_OUT) return this.cardGone();
    if (reply.kind === 'negative') throw replyError(commandName(cmd), reply.error);
  }

  private async capture(binFullCode: 'full' | 'retainBinFull'): Promise<void> {
    if (this.store.get().retainBin.state === 'full') {
      throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'retain bin full', binFullCode);
    }
    await this.chipOff();
    const cmd = moveCommand('retain');
    const reply = await this.request(cmd, this.options.motionTimeoutMs);
    if (reply.kind === 'negative') {
      if (reply.error === CARD_PULLED_OUT) {
        this.cardGone();
        throw noMedia('card pulled out during capture');
      }
      if (reply.error === BIN_FULL) {
        this.binSensorFull = true;
        this.publish();
        throw new DeviceError<CardReaderErrorCode>('commandErrorCode', 'reader reports the capture bin full', binFullCode);
      }
      throw replyError(commandName(cmd), reply.error);
    }
    this.retainCount += 1;
    this.publish();
    this.hub.emit('mediaRetained', { retainCount: this.retainCount });
  }

  private cardGone(): void {
    this.place = 'none';
    this.atIcPosition = false;
    this.publish();
    this.hub.emit('mediaRemoved', undefined);
  }

  // ---- link and status ----

  /** One exchange; the reply (either kind) proves the reader alive, a positive one updates the card position. */
  private async request(cmd: CreatorCommand, timeoutMs?: number): Promise<CreatorReply> {
    const reply = await this.link.exchange(cmd, timeoutMs);
    this.missedPolls = 0;
    this.offline = false;
    if (reply.kind === 'positive') this.applyReaderStatus(reply.status);
    else if (JAM_ERRORS.has(reply.error)) this.jammed = true;
    this.publish();
    return reply;
  }

  private async send(cmd: CreatorCommand, timeoutMs?: number): Promise<Positive> {
    const reply = await this.request(cmd, timeoutMs);
    if (reply.kind === 'negative') throw replyError(commandName(cmd), reply.error);
    return reply;
  }

  /** `C 1 1`: position, bin sensor and the IC contacts; a negative reply reports an event since the last poll. */
  private async poll(): Promise<void> {
    const reply = await this.request(SENSORS);
    if (reply.kind === 'negative') return this.latchedError(reply.error);
    this.atIcPosition = decodeSensors(reply.data).icContacts;
  }

  private missedPoll(): void {
    this.missedPolls += 1;
    if (this.missedPolls < this.options.missedPollsOffline) return;
    this.offline = true;
    this.arrival?.reject(new DeviceError('deviceNotReady', 'card reader stopped answering'));
    this.publish();
  }

  private latchedError(code: string): void {
    const err = replyError('status', code);
    if (this.arrival && REFUSED_AT_ENTRY.has(code)) this.hub.emit('mediaInserted', undefined);
    this.arrival?.reject(err);
  }

  private applyReaderStatus(status: ReaderStatus): void {
    const previous = this.place;
    this.place = status.card;
    this.binSensorFull = status.retainBinFull;
    if (status.card !== 'inside') {
      this.atIcPosition = false;
      this.chipPowered = false;
    }
    this.publish();
    if ((previous === 'gate') !== (status.card === 'gate')) this.polls.rearm();
    if (previous === 'gate' && status.card === 'none') this.hub.emit('mediaRemoved', undefined);
    if (status.card === 'inside') this.arrival?.resolve();
  }

  private publish(): void {
    this.store.update(this.computeStatus());
  }

  private computeStatus(): CardReaderStatus {
    const { retainThreshold: threshold, retainCapacity: capacity } = this.options;
    const count = this.retainCount;
    const chipPower = !this.chipSlot
      ? 'notSupported'
      : this.place !== 'inside'
        ? 'noCard'
        : this.chipPowered
          ? 'online'
          : 'poweredOff';
    return {
      device: this.offline ? 'offline' : this.jammed ? 'hardwareError' : 'online',
      devicePosition: 'inPosition',
      media: this.jammed ? 'jammed' : this.place === undefined ? 'unknown' : MEDIA[this.place],
      chipPower,
      retainBin: {
        count,
        threshold,
        capacity,
        state: this.binSensorFull ? 'full' : binState(count, threshold, capacity),
      },
    };
  }
}

function trackSource(block: TrackBlock): DataSource {
  if (!block.ok) return { status: trackStatus(block.error), data: NO_DATA };
  return block.data.length === 0 ? { status: 'dataMissing', data: NO_DATA } : { status: 'ok', data: block.data };
}
