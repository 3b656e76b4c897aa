import { sleep, type Clock, type TimerHandle } from '../../common/clock.js';
import { PollLoop } from '../../common/poll-loop.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, DeviceTimeoutError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type { ByteTransport } from '../../common/transport.js';
import { openTransport } from '../../common/open-transport.js';
import { FULL_CUT, INITIALIZE, PARTIAL_CUT, RETRACT_TICKET, presentTicket } from '../../protocols/escpos/commands.js';
import type {
  ControlMediaRequest,
  PrinterCapabilities,
  PrinterDevice,
  PrinterErrorCode,
  PrinterEvents,
  PrinterMediaState,
  PrinterStatus,
  PrintRawRequest,
} from '../contract.js';
import { AnswerReader } from './answer-reader.js';
import { probeRealtimeStatus, probeVkp80Status, type ProbedStatus, type StatusProbe } from './status-probes.js';

export type EscPosModel = 'generic' | 'vkp80';

export interface EscPosPrinterOptions {
  /** `vkp80`: Custom VKP80 with presenter and retract bin, polled with its full status. Default `generic`. */
  readonly model?: EscPosModel;
  /** How often the status is polled, in ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** How long to wait for one status answer, in ms. Default 300. */
  readonly answerTimeoutMs?: number;
  /** Consecutive unanswered polls before the printer is reported offline. Default 2. */
  readonly missedPollsOffline?: number;
  readonly columns?: number;
  /** Presenter: how long a presented ticket waits for the customer before it is retracted. Default 30 s. */
  readonly presentTimeoutMs?: number;
  /** Presenter: how long a present or retract may take to show in the status. Default 5 s. */
  readonly presenterMoveMs?: number;
  /** Presenter: how far the ticket sticks out, in 7 mm steps. Default 12 (84 mm). */
  readonly presentSteps?: number;
  /** Tickets the retract bin holds. Default 50. */
  readonly retractBinCapacity?: number;
}

interface ModelProfile {
  readonly modelName: string;
  readonly probe: StatusProbe;
  readonly presenter: boolean;
}

const MODELS: Readonly<Record<EscPosModel, ModelProfile>> = {
  generic: { modelName: 'ESC/POS thermal printer', probe: probeRealtimeStatus, presenter: false },
  vkp80: { modelName: 'Custom VKP80', probe: probeVkp80Status, presenter: true },
};

/** How often a presenter move is re-checked while it runs. */
const PRESENTER_CHECK_MS = 50;

const INITIAL_STATUS: PrinterStatus = {
  device: 'offline',
  devicePosition: 'inPosition',
  paper: 'unknown',
  media: 'unknown',
  coverOpen: false,
  retractCount: 0,
};

const commandError = (code: PrinterErrorCode, message: string): DeviceError<PrinterErrorCode> =>
  new DeviceError('commandErrorCode', message, code);

/**
 * An ESC/POS thermal receipt printer on a byte transport. Health comes from
 * polling real-time status (DLE EOT 1, 2, 4, or the VKP80 full status); a
 * printer that stops answering goes offline after `missedPollsOffline` polls
 * and back online when it answers. With a presenter (VKP80) the driver
 * presents tickets, reports `mediaTaken` when the presenter empties, and
 * retracts an untaken ticket after `presentTimeoutMs`, counting it.
 */
export class EscPosPrinter implements PrinterDevice {
  readonly deviceClass = 'printer' as const;
  readonly id: string;
  private readonly clock: Clock;
  private readonly hub = new EventHub<PrinterEvents>();
  private readonly store: StatusStore<PrinterStatus, PrinterEvents>;
  private readonly queue = new CommandQueue();
  private readonly options: Required<Omit<EscPosPrinterOptions, 'model'>>;
  private readonly profile: ModelProfile;
  private readonly reader: AnswerReader;
  private readonly polls: PollLoop;
  private retractTimer: TimerHandle | undefined;
  private missedPolls = 0;
  private offData: Unsubscribe | undefined;

  constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    options: EscPosPrinterOptions = {},
  ) {
    this.id = context.id;
    this.clock = context.clock;
    this.profile = MODELS[options.model ?? 'generic'];
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      answerTimeoutMs: options.answerTimeoutMs ?? 300,
      missedPollsOffline: options.missedPollsOffline ?? 2,
      columns: options.columns ?? 42,
      presentTimeoutMs: options.presentTimeoutMs ?? 30_000,
      presenterMoveMs: options.presenterMoveMs ?? 5000,
      presentSteps: options.presentSteps ?? 12,
      retractBinCapacity: options.retractBinCapacity ?? 50,
    };
    this.reader = new AnswerReader(transport, this.clock, this.options.answerTimeoutMs);
    this.store = new StatusStore(INITIAL_STATUS, this.hub);
    this.polls = new PollLoop(
      this.clock,
      () => this.options.pollIntervalMs,
      () =>
        this.queue
          .run(new AbortController().signal, () => this.pollOnce())
          .then(
            () => undefined,
            () => undefined,
          ),
    );
  }

  getStatus(): PrinterStatus {
    return this.store.get();
  }

  getCapabilities(): PrinterCapabilities {
    const { presenter } = this.profile;
    return { presenter, retractBin: presenter, columns: this.options.columns };
  }

  on<K extends keyof PrinterEvents>(type: K, listener: (payload: PrinterEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    const unopened = await openTransport(this.transport, signal);
    if (unopened) return unopened;
    this.offData = this.transport.onData((chunk) => this.reader.receive(chunk));
    const first = await this.refreshStatus(undefined, signal);
    this.polls.start();
    if (first.completionCode !== 'success') return fail<never>(first.completionCode, first.errorDescription);
    return ok({ modelName: this.profile.modelName, serialNumber: 'unknown', firmware: 'unknown', protocol: 'escpos' });
  }

  async close(): Promise<void> {
    this.polls.stop();
    this.disarmAutoRetract();
    this.offData?.();
    await this.transport.close();
  }

  printRaw = (request: PrintRawRequest, signal: AbortSignal): Promise<DeviceResult<void, PrinterErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, PrinterErrorCode>(async () => {
        this.assertCanPrint();
        // A presenter holds one ticket; the next would push into it.
        if (this.store.get().media === 'present') throw commandError('mediaPresent', 'a ticket waits in the presenter');
        await this.transport.write(request.data);
      }),
    );

  controlMedia = (request: ControlMediaRequest, signal: AbortSignal): Promise<DeviceResult<void, PrinterErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, PrinterErrorCode>(async () => {
        if (request.move === 'retract') {
          if (!this.profile.presenter) {
            throw new DeviceError('unsupportedData', 'this printer has no presenter to retract from');
          }
          await this.retract(false);
          return;
        }
        this.assertCanPrint();
        if (this.profile.presenter) {
          // The presenter takes only a separated ticket, so it is always a full cut.
          if (request.cut) await this.transport.write(FULL_CUT);
          if (request.move === 'eject') await this.present();
          return;
        }
        if (request.cut) await this.transport.write(request.move === 'eject' ? FULL_CUT : PARTIAL_CUT);
        if (request.move === 'eject') this.hub.emit('mediaPresented', { position: 'exit' });
      }),
    );

  refreshStatus = (_request: void, signal: AbortSignal): Promise<DeviceResult<PrinterStatus, PrinterErrorCode>> =>
    this.queue.run(signal, () => complete<PrinterStatus, PrinterErrorCode>(() => this.pollOnce()));

  /** Resets the printer's modes before a receipt. */
  initialize(signal: AbortSignal): Promise<DeviceResult<void, PrinterErrorCode>> {
    return this.printRaw({ data: INITIALIZE }, signal);
  }

  private assertCanPrint(): void {
    const status = this.store.get();
    if (status.coverOpen) throw new DeviceError('deviceNotReady', 'printer cover is open');
    if (status.paper === 'jammed') throw commandError('paperJammed', 'paper jammed');
    if (status.device !== 'online')
      throw new DeviceError('deviceNotReady', `printer is ${status.device}: ${status.detail ?? ''}`);
    if (status.paper === 'out') throw commandError('paperOut', 'paper out');
  }

  private async present(): Promise<void> {
    if (this.store.get().media === 'present') throw commandError('mediaPresent', 'a ticket is already presented');
    await this.transport.write(presentTicket(this.options.presentSteps));
    const probed = await this.awaitPresenter(true);
    if (probed.paper === 'jammed') throw commandError('mediaJammed', 'the ticket jammed on its way out');
    if (!probed.ticketInPresenter) throw new DeviceError('hardwareError', 'the ticket did not reach the presenter');
    this.apply(probed);
    this.hub.emit('mediaPresented', { position: 'exit' });
  }

  /** Pulls the presented ticket into the bin and counts it; `auto` when the customer left it. */
  private async retract(auto: boolean): Promise<void> {
    // Read the sensor first: a ticket taken since the last poll is "taken", not retracted.
    this.apply(await this.probe());
    const status = this.store.get();
    if (status.media !== 'present') throw new DeviceError('sequenceError', 'no presented ticket to retract');
    if (status.retractCount >= this.options.retractBinCapacity)
      throw commandError('retractBinFull', 'retract bin full');
    await this.transport.write(RETRACT_TICKET);
    const probed = await this.awaitPresenter(false);
    if (probed.ticketInPresenter) throw commandError('mediaJammed', 'the ticket did not leave the presenter');
    const retractCount = status.retractCount + 1;
    // Marked retracted before applying the poll, so the empty presenter is not read as "taken".
    this.store.update({ media: 'retracted', retractCount });
    this.apply(probed);
    if (auto) this.hub.emit('mediaAutoRetracted', { retractCount });
  }

  /** Polls until the presenter holds (or no longer holds) a ticket, or the move time runs out. */
  private async awaitPresenter(present: boolean): Promise<ProbedStatus> {
    const deadline = this.clock.monotonic() + this.options.presenterMoveMs;
    for (;;) {
      const probed = await this.probe();
      if (probed.ticketInPresenter === present || probed.paper === 'jammed') return probed;
      if (this.clock.monotonic() >= deadline) return probed;
      await sleep(this.clock, PRESENTER_CHECK_MS);
    }
  }

  private armAutoRetract(): void {
    this.disarmAutoRetract();
    this.retractTimer = this.clock.setTimeout(() => {
      this.retractTimer = undefined;
      void this.queue.run(new AbortController().signal, () => this.retract(true)).catch(() => undefined);
    }, this.options.presentTimeoutMs);
  }

  private disarmAutoRetract(): void {
    if (this.retractTimer) this.clock.clearTimeout(this.retractTimer);
    this.retractTimer = undefined;
  }

  private async pollOnce(): Promise<PrinterStatus> {
    this.apply(await this.probe());
    return this.store.get();
  }

  /** One status read; counts misses towards offline. */
  private async probe(): Promise<ProbedStatus> {
    try {
      const probed = await this.profile.probe(this.reader);
      this.missedPolls = 0;
      return probed;
    } catch (err) {
      if (err instanceof DeviceTimeoutError) {
        this.missedPolls += 1;
        if (this.missedPolls >= this.options.missedPollsOffline) {
          this.store.update({ device: 'offline', detail: 'no answer to the status request' });
        }
      }
      throw err;
    }
  }

  private apply(probed: ProbedStatus): void {
    const previous = this.store.get();
    const media = this.nextMedia(previous.media, probed.ticketInPresenter);
    this.store.update({
      device: probed.device,
      paper: probed.paper,
      coverOpen: probed.coverOpen,
      media,
      detail: probed.detail,
    });
    if (media === 'present' && previous.media !== 'present') this.armAutoRetract();
    if (previous.media === 'present' && media === 'notPresent') {
      this.disarmAutoRetract();
      this.hub.emit('mediaTaken', { position: 'exit' });
    }
    const supply = probed.paper;
    if (supply !== previous.paper && previous.paper !== 'unknown' && supply !== 'jammed') {
      this.hub.emit('paperThreshold', { paper: supply });
    }
  }

  /** The presenter sensor decides; a retracted ticket stays "retracted" until the next one is presented. */
  private nextMedia(previous: PrinterMediaState, ticketInPresenter: boolean): PrinterMediaState {
    if (ticketInPresenter) return 'present';
    return previous === 'retracted' ? 'retracted' : 'notPresent';
  }
}
