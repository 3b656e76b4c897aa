import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import {
  SYMBOLOGIES,
  type BarcodeScannerCapabilities,
  type BarcodeScannerDevice,
  type BarcodeScannerErrorCode,
  type BarcodeScannerEvents,
  type BarcodeScannerStatus,
  type EnableScanningRequest,
  type Symbology,
} from './contract.js';

export interface MemoryBarcodeScannerOptions extends MemoryDeviceOptions {
  readonly capabilities?: BarcodeScannerCapabilities;
}

/** An in-memory scanner; tests hold codes in front of it with `scan`. */
export class MemoryBarcodeScanner
  extends MemoryDevice<BarcodeScannerStatus, BarcodeScannerEvents, BarcodeScannerErrorCode, 'enable' | 'disable'>
  implements BarcodeScannerDevice
{
  readonly deviceClass = 'barcodeScanner' as const;
  private readonly capabilities: BarcodeScannerCapabilities;
  private enabled: ReadonlySet<Symbology> = new Set();

  constructor(options: MemoryBarcodeScannerOptions) {
    super(options, { device: 'online', devicePosition: 'inPosition', scanning: false });
    this.capabilities = options.capabilities ?? { symbologies: SYMBOLOGIES };
  }

  getCapabilities(): BarcodeScannerCapabilities {
    return this.capabilities;
  }

  enable = (request: EnableScanningRequest, signal: AbortSignal) =>
    this.command('enable', signal, () => {
      const wanted = request.symbologies ?? this.capabilities.symbologies;
      const unsupported = wanted.find((s) => !this.capabilities.symbologies.includes(s));
      if (unsupported !== undefined) {
        throw new DeviceError<BarcodeScannerErrorCode>('commandErrorCode', `${unsupported} not supported`, 'symbologyNotSupported');
      }
      this.enabled = new Set(wanted);
      this.patchStatus({ scanning: true });
    });

  disable = (_request: void, signal: AbortSignal) =>
    this.command('disable', signal, () => {
      this.enabled = new Set();
      this.patchStatus({ scanning: false });
    });

  /** A code is held in front of the scanner. Returns whether it was reported. */
  scan(data: string | Uint8Array, symbology: Symbology = 'qr'): boolean {
    if (this.getStatus().device !== 'online' || !this.enabled.has(symbology)) return false;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    this.hub.emit('scanned', { symbology, data: bytes });
    return true;
  }
}
