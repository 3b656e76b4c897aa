import type { Clock, TimerHandle } from '../../common/clock.js';
import { CommandQueue } from '../../common/command-queue.js';
import {
  DeviceError,
  DeviceTimeoutError,
  complete,
  fail,
  ok,
  type DeviceResult,
} from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type { ByteTransport } from '../../common/transport.js';
import { FULL_CUT, INITIALIZE, PARTIAL_CUT } from '../../protocols/escpos/commands.js';
import {
  decodeStatus,
  isStatusByte,
  statusRequest,
  type StatusPage,
  type StatusPages,
} from '../../protocols/escpos/realtime-status.js';
import type {
  ControlMediaRequest,
  PaperState,
  PrinterCapabilities,
  PrinterDevice,
  PrinterErrorCode,
  PrinterEvents,
  PrinterStatus,
  PrintRawRequest,
} from '../contract.js';

export interface EscPosPrinterOptions {
  /** How often the status is polled, in ms. Default 1000. */
  readonly pollIntervalMs?: number;
  /** How long to wait for one DLE EOT answer, in ms. Default 300. */
  readonly answerTimeoutMs?: number;
  /** Consecutive unanswered polls before the printer is reported offline. Default 2. */
  readonly missedPollsOffline?: number;
  readonly columns?: number;
}

const INITIAL_STATUS: PrinterStatus = {
  device: 'offline',
  devicePosition: 'inPosition',
  paper: 'unknown',
  media: 'unknown',
  coverOpen: false,
  retractCount: 0,
};

/**
 * An ESC/POS thermal receipt printer on a byte transport. Health comes from
 * polling real-time status (DLE EOT 1, 2, 4); a printer that stops answering
 * goes offline after `missedPollsOffline` polls and back online when it answers.
 */
export class EscPosPrinter implements PrinterDevice {
  readonly deviceClass = 'printer' as const;
  readonly id: string;
  private readonly clock: Clock;
  private readonly hub = new EventHub<PrinterEvents>();
  private readonly store: StatusStore<PrinterStatus, PrinterEvents>;
  private readonly queue = new CommandQueue();
  private readonly options: Required<EscPosPrinterOptions>;
  private pollTimer: TimerHandle | undefined;
  private missedPolls = 0;
  private pendingAnswer: ((byte: number) => void) | undefined;
  private offData: Unsubscribe | undefined;
  private closed = false;

  constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    options: EscPosPrinterOptions = {},
  ) {
    this.id = context.id;
    this.clock = context.clock;
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      answerTimeoutMs: options.answerTimeoutMs ?? 300,
      missedPollsOffline: options.missedPollsOffline ?? 2,
      columns: options.columns ?? 42,
    };
    this.store = new StatusStore(INITIAL_STATUS, this.hub);
  }

  getStatus(): PrinterStatus {
    return this.store.get();
  }

  getCapabilities(): PrinterCapabilities {
    return { presenter: false, retractBin: false, columns: this.options.columns };
  }

  on<K extends keyof PrinterEvents>(type: K, listener: (payload: PrinterEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    this.closed = false;
    try {
      await this.transport.open(signal);
    } catch (err) {
      return fail<never>('hardwareError', `cannot open ${this.transport.description}: ${String(err)}`);
    }
    this.offData = this.transport.onData((chunk) => this.onBytes(chunk));
    const first = await this.refreshStatus(undefined, signal);
    this.schedulePoll();
    if (first.completionCode !== 'success') return fail<never>(first.completionCode, first.errorDescription);
    return ok({
      modelName: 'ESC/POS thermal printer',
      serialNumber: 'unknown',
      firmware: 'unknown',
      protocol: 'escpos',
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) this.clock.clearTimeout(this.pollTimer);
    this.offData?.();
    await this.transport.close();
  }

  printRaw = (request: PrintRawRequest, signal: AbortSignal): Promise<DeviceResult<void, PrinterErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, PrinterErrorCode>(async () => {
        this.assertCanPrint();
        await this.transport.write(request.data);
      }),
    );

  controlMedia = (
    request: ControlMediaRequest,
    signal: AbortSignal,
  ): Promise<DeviceResult<void, PrinterErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, PrinterErrorCode>(async () => {
        if (request.move === 'retract') {
          throw new DeviceError('unsupportedData', 'this printer has no presenter to retract from');
        }
        this.assertCanPrint();
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
    if (status.device !== 'online') throw new DeviceError('deviceNotReady', `printer is ${status.device}`);
    if (status.coverOpen) throw new DeviceError('deviceNotReady', 'printer cover is open');
    if (status.paper === 'out') throw new DeviceError('commandErrorCode', 'paper out', 'paperOut');
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.pollTimer = this.clock.setTimeout(() => {
      void this.queue
        .run(new AbortController().signal, () => this.pollOnce())
        .catch(() => undefined)
        .finally(() => this.schedulePoll());
    }, this.options.pollIntervalMs);
  }

  /** Reads pages 1, 2 and 4; updates the status; counts misses towards offline. */
  private async pollOnce(): Promise<PrinterStatus> {
    try {
      const printer = await this.ask('printer');
      const cause = await this.ask('offlineCause');
      const paper = await this.ask('paperSensor');
      this.missedPolls = 0;
      this.applyStatus(printer, cause, paper);
    } catch (err) {
      if (!(err instanceof DeviceTimeoutError)) throw err;
      this.missedPolls += 1;
      if (this.missedPolls >= this.options.missedPollsOffline) {
        this.store.update({ device: 'offline', detail: 'no answer to DLE EOT' });
      }
      throw err;
    }
    return this.store.get();
  }

  private applyStatus(
    printer: StatusPages['printer'],
    cause: StatusPages['offlineCause'],
    sensor: StatusPages['paperSensor'],
  ): void {
    const previousPaper = this.store.get().paper;
    const paper: PaperState = sensor.paperEnd || cause.stoppedByPaperEnd ? 'out' : sensor.nearEnd ? 'low' : 'full';
    const device = cause.errorOccurred ? 'hardwareError' : 'online';
    this.store.update({
      device,
      paper,
      coverOpen: cause.coverOpen,
      media: 'notPresent',
      detail: printer.offline ? 'printer reports offline' : 'ok',
    });
    if (paper !== previousPaper && previousPaper !== 'unknown') this.hub.emit('paperThreshold', { paper });
  }

  private ask<P extends StatusPage>(page: P): Promise<StatusPages[P]> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pendingAnswer = undefined;
        reject(new DeviceTimeoutError(`no answer to DLE EOT ${page}`));
      }, this.options.answerTimeoutMs);
      this.pendingAnswer = (byte) => {
        this.clock.clearTimeout(timer);
        this.pendingAnswer = undefined;
        resolve(decodeStatus(page, byte));
      };
      this.transport.write(statusRequest(page)).catch((err: unknown) => {
        this.clock.clearTimeout(timer);
        this.pendingAnswer = undefined;
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  /** Bytes that are not a status answer, or arrive unasked, are line noise and dropped. */
  private onBytes(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.pendingAnswer && isStatusByte(byte)) this.pendingAnswer(byte);
    }
  }
}
