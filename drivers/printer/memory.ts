import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  ControlMediaRequest,
  PaperState,
  PrinterCapabilities,
  PrinterDevice,
  PrinterErrorCode,
  PrinterEvents,
  PrinterStatus,
  PrintRawRequest,
} from './contract.js';

export interface MemoryPrinterOptions extends MemoryDeviceOptions {
  readonly capabilities?: Partial<PrinterCapabilities>;
  /** Tickets the retract bin holds; default 50. */
  readonly retractCapacity?: number;
}

type PrinterCommand = 'printRaw' | 'controlMedia' | 'refreshStatus';

const MAX_PRINT_BYTES = 64 * 1024;

function commandError(errorCode: PrinterErrorCode, message: string): DeviceError<PrinterErrorCode> {
  return new DeviceError('commandErrorCode', message, errorCode);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * An in-memory receipt printer with a presenter and retract bin. Printed bytes
 * collect until a cut makes them a ticket; an eject presents the last ticket.
 */
export class MemoryPrinter
  extends MemoryDevice<PrinterStatus, PrinterEvents, PrinterErrorCode, PrinterCommand>
  implements PrinterDevice
{
  readonly deviceClass = 'printer' as const;
  /** Test side: every ticket cut so far, as the raw bytes sent for it. */
  readonly tickets: Uint8Array[] = [];
  private readonly capabilities: PrinterCapabilities;
  private readonly retractCapacity: number;
  private pending: Uint8Array[] = [];
  /** The cut ticket not yet presented. */
  private cutTicket: Uint8Array | undefined;

  constructor(options: MemoryPrinterOptions) {
    super(options, {
      device: 'online',
      devicePosition: 'inPosition',
      paper: 'full',
      media: 'notPresent',
      coverOpen: false,
      retractCount: 0,
    });
    this.capabilities = { presenter: true, retractBin: true, columns: 42, ...options.capabilities };
    this.retractCapacity = options.retractCapacity ?? 50;
  }

  getCapabilities(): PrinterCapabilities {
    return this.capabilities;
  }

  printRaw = (request: PrintRawRequest, signal: AbortSignal) =>
    this.command('printRaw', signal, () => {
      const status = this.assertCoverClosed();
      if (request.data.length > MAX_PRINT_BYTES) throw new DeviceError('invalidData', 'more than 64 KiB');
      if (status.paper === 'out') throw commandError('paperOut', 'paper out');
      if (status.paper === 'jammed') throw commandError('paperJammed', 'paper jammed');
      // A presenter holds one ticket at a time; the next cannot pass it.
      if (this.capabilities.presenter && status.media === 'present') {
        throw commandError('mediaPresent', 'a ticket is waiting in the presenter');
      }
      this.pending.push(request.data.slice());
    });

  controlMedia = (request: ControlMediaRequest, signal: AbortSignal) =>
    this.command('controlMedia', signal, () => {
      const status = this.assertCoverClosed();
      if (status.paper === 'jammed') throw commandError('mediaJammed', 'paper jammed');
      if (request.cut && this.pending.length > 0) {
        this.cutTicket = concat(this.pending);
        this.pending = [];
        this.tickets.push(this.cutTicket);
      }
      if (request.move === 'eject') this.eject(status);
      if (request.move === 'retract') this.retract(status);
    });

  refreshStatus = (_request: void, signal: AbortSignal) => this.query('refreshStatus', signal, () => this.getStatus());

  // ---- test side ----

  /** The customer takes the presented ticket; emits mediaTaken. Returns its bytes, or undefined when none is there. */
  takeTicket(): Uint8Array | undefined {
    if (this.getStatus().media !== 'present') return undefined;
    this.patchStatus({ media: 'notPresent' });
    this.hub.emit('mediaTaken', { position: 'exit' });
    return this.tickets.at(-1);
  }

  /** The presenter's own timer pulls an untaken ticket back. False when there is none. */
  autoRetract(): boolean {
    const status = this.getStatus();
    if (status.media !== 'present' || status.retractCount >= this.retractCapacity) return false;
    const retractCount = status.retractCount + 1;
    this.patchStatus({ media: 'retracted', retractCount });
    this.hub.emit('mediaAutoRetracted', { retractCount });
    return true;
  }

  /** The paper sensors change (near end, out, jam, reload); emits paperThreshold for supply levels. */
  setPaper(paper: PaperState): void {
    if (paper === this.getStatus().paper) return;
    this.patchStatus({ paper });
    if (paper === 'full' || paper === 'low' || paper === 'out') this.hub.emit('paperThreshold', { paper });
  }

  setCoverOpen(coverOpen: boolean): void {
    this.patchStatus({ coverOpen });
  }

  // ---- internals ----

  private assertCoverClosed(): PrinterStatus {
    const status = this.getStatus();
    if (status.coverOpen) throw new DeviceError('deviceNotReady', 'cover open');
    return status;
  }

  private eject(status: PrinterStatus): void {
    if (status.media === 'present') throw commandError('mediaPresent', 'a ticket is already presented');
    // The contract has no noMedia code: ejecting nothing is a sequence error of the caller.
    if (this.cutTicket === undefined) throw new DeviceError('sequenceError', 'no cut ticket to eject');
    this.cutTicket = undefined;
    this.patchStatus({ media: 'present' });
    this.hub.emit('mediaPresented', { position: 'exit' });
  }

  private retract(status: PrinterStatus): void {
    if (!this.capabilities.retractBin) throw new DeviceError('unsupportedData', 'no retract bin');
    if (status.media !== 'present') throw new DeviceError('sequenceError', 'no presented ticket to retract');
    if (status.retractCount >= this.retractCapacity) throw commandError('retractBinFull', 'retract bin full');
    this.patchStatus({ media: 'retracted', retractCount: status.retractCount + 1 });
  }
}
