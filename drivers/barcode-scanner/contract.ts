import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * QR / barcode scanner (HID POS usage page 0x8C or keyboard-wedge). Scanning is
 * off until enabled, so that a code shown by accident outside a transaction
 * step that expects one is never read. Codes arrive as unsolicited events.
 */

/** Barcode scanner errorCode values, used with `commandErrorCode`. */
export const BARCODE_SCANNER_ERROR_CODES = ['symbologyNotSupported'] as const;
export type BarcodeScannerErrorCode = (typeof BARCODE_SCANNER_ERROR_CODES)[number];

export const SYMBOLOGIES = [
  'qr',
  'dataMatrix',
  'pdf417',
  'aztec',
  'code128',
  'code39',
  'ean13',
  'ean8',
  'upcA',
  'unknown',
] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

export interface BarcodeScannerStatus extends CommonStatus {
  /** Whether scanned codes are reported now. */
  readonly scanning: boolean;
}

export interface BarcodeScannerCapabilities {
  readonly symbologies: readonly Symbology[];
}

export interface EnableScanningRequest {
  /** Codes of other symbologies are ignored; omitted = every supported symbology. */
  readonly symbologies?: readonly Symbology[];
}

export interface BarcodeScannerEvents extends CommonDeviceEvents<BarcodeScannerStatus> {
  /**
   * Unsolicited: a code was read while scanning was enabled. `data` holds the
   * decoded bytes as the scanner delivered them (decode text with TextDecoder).
   * Payment codes are sensitive: do not log `data`.
   */
  scanned: { readonly symbology: Symbology; readonly data: Uint8Array };
}

export interface BarcodeScannerDevice extends Device<BarcodeScannerStatus, BarcodeScannerEvents> {
  readonly deviceClass: 'barcodeScanner';
  getCapabilities(): BarcodeScannerCapabilities;
  /** Starts reporting codes. Fails with symbologyNotSupported. */
  enable: DeviceCommand<EnableScanningRequest, void, BarcodeScannerErrorCode>;
  /** Stops reporting codes; codes read afterwards are dropped. */
  disable: DeviceCommand<void, void, BarcodeScannerErrorCode>;
}
