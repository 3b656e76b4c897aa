import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type { ReportTransport } from '../../common/transport.js';
import { openTransport } from '../../common/open-transport.js';
import {
  ENABLE_FEATURE_REPORT_ID,
  ScannedDataAssembler,
  enableReportData,
} from '../../protocols/hid-pos/scanned-data.js';
import {
  SYMBOLOGIES,
  type BarcodeScannerCapabilities,
  type BarcodeScannerDevice,
  type BarcodeScannerErrorCode,
  type BarcodeScannerEvents,
  type BarcodeScannerStatus,
  type EnableScanningRequest,
  type Symbology,
} from '../contract.js';
import { symbologyOf } from './symbology.js';

export interface HidPosScannerOptions {
  /** Longest code accepted, in bytes; a longer run of reports is dropped. Default 4096. */
  readonly maxCodeBytes?: number;
}

const SUPPORTED: readonly Symbology[] = SYMBOLOGIES.filter((s) => s !== 'unknown');

/**
 * A HID POS (usage page 0x8C) barcode scanner, Honeywell report layout, over a
 * ReportTransport (node-hid on a real kiosk; an in-memory pipe or the simulator's
 * TCP bridge here). The scanner is switched on and off with its enable feature
 * report; codes that arrive while scanning is off are dropped here as well, so a
 * code read by accident never reaches a session. HID has no status to poll: the
 * scanner is online while its interface is open.
 */
export class HidPosScanner implements BarcodeScannerDevice {
  readonly deviceClass = 'barcodeScanner' as const;
  readonly id: string;
  private readonly hub = new EventHub<BarcodeScannerEvents>();
  private readonly store: StatusStore<BarcodeScannerStatus, BarcodeScannerEvents>;
  private readonly queue = new CommandQueue();
  private readonly assembler: ScannedDataAssembler;
  private enabled: ReadonlySet<Symbology> = new Set();
  private detach: Unsubscribe[] = [];

  constructor(
    context: DriverContext,
    private readonly transport: ReportTransport,
    options: HidPosScannerOptions = {},
  ) {
    this.id = context.id;
    this.assembler = new ScannedDataAssembler(options.maxCodeBytes);
    this.store = new StatusStore<BarcodeScannerStatus, BarcodeScannerEvents>(
      { device: 'offline', devicePosition: 'inPosition', scanning: false },
      this.hub,
    );
  }

  getStatus(): BarcodeScannerStatus {
    return this.store.get();
  }

  getCapabilities(): BarcodeScannerCapabilities {
    return { symbologies: SUPPORTED };
  }

  on<K extends keyof BarcodeScannerEvents>(type: K, listener: (payload: BarcodeScannerEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    const unopened = await openTransport(this.transport, signal);
    if (unopened) return unopened;
    this.detachAll();
    this.detach = [
      this.transport.onReport((reportId, data) => this.receive(reportId, data)),
      this.transport.onClose(() => {
        this.enabled = new Set();
        this.store.update({ device: 'offline', scanning: false, detail: 'HID interface closed' });
      }),
    ];
    // Off until a transaction step asks: a code held up by accident is never read.
    const off = await complete<void, never>(() => this.setScanning(false));
    if (off.completionCode !== 'success') return fail<never>(off.completionCode, off.errorDescription);
    this.store.update({ device: 'online', detail: undefined });
    return ok({ modelName: 'HID POS barcode scanner', serialNumber: 'unknown', firmware: 'unknown', protocol: 'hid-pos' });
  }

  async close(): Promise<void> {
    this.detachAll();
    this.enabled = new Set();
    await this.transport.close();
    this.store.update({ device: 'offline', scanning: false });
  }

  enable = (request: EnableScanningRequest, signal: AbortSignal): Promise<DeviceResult<void, BarcodeScannerErrorCode>> =>
    complete<void, BarcodeScannerErrorCode>(() =>
      this.queue.run(signal, async () => {
        const wanted = request.symbologies ?? SUPPORTED;
        const unsupported = wanted.find((s) => !SUPPORTED.includes(s));
        if (unsupported !== undefined)
          throw new DeviceError<BarcodeScannerErrorCode>('commandErrorCode', `${unsupported} not supported`, 'symbologyNotSupported');
        this.assertOnline();
        await this.setScanning(true);
        this.enabled = new Set(wanted);
      }),
    );

  disable = (_request: void, signal: AbortSignal): Promise<DeviceResult<void, BarcodeScannerErrorCode>> =>
    complete<void, BarcodeScannerErrorCode>(() =>
      this.queue.run(signal, async () => {
        this.enabled = new Set();
        this.assertOnline();
        await this.setScanning(false);
      }),
    );

  private assertOnline(): void {
    if (this.store.get().device !== 'online') throw new DeviceError('deviceNotReady', 'scanner is not connected');
  }

  private async setScanning(on: boolean): Promise<void> {
    await this.transport.sendReport(ENABLE_FEATURE_REPORT_ID, enableReportData(on));
    this.assembler.reset();
    this.store.update({ scanning: on });
  }

  private receive(reportId: number, data: Uint8Array): void {
    const code = this.assembler.push(reportId, data);
    if (code === null) return;
    const symbology = symbologyOf(code.codeId, code.aim);
    if (!this.enabled.has(symbology)) return;
    this.hub.emit('scanned', { symbology, data: code.data });
  }

  private detachAll(): void {
    for (const off of this.detach) off();
    this.detach = [];
  }
}
