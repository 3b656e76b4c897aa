import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Receipt printer, after XFS4IoT Printer (PrintRaw, ControlMedia, MediaTaken).
 * Receipts are sent as raw device bytes built by a receipt composer, so the
 * contract carries no layout language of its own.
 */

/** Printer errorCode values (XFS4IoT Printer), used with `commandErrorCode`. */
export const PRINTER_ERROR_CODES = [
  'paperOut',
  'paperJammed',
  'mediaJammed',
  'shutterFail',
  'retractBinFull',
  'mediaRetained',
  'mediaPresent',
] as const;
export type PrinterErrorCode = (typeof PRINTER_ERROR_CODES)[number];

/** Paper supply: `low` is the near-end sensor; `out` stops printing. */
export type PaperState = 'full' | 'low' | 'out' | 'jammed' | 'unknown';
/** Where the last printed ticket is: in the presenter/exit, retracted or gone. */
export type PrinterMediaState = 'notPresent' | 'present' | 'jammed' | 'retracted' | 'unknown';

export interface PrinterStatus extends CommonStatus {
  readonly paper: PaperState;
  readonly media: PrinterMediaState;
  /** Print head cover; printing is refused while it is open. */
  readonly coverOpen: boolean;
  /** Number of tickets in the retract bin, when the model has one. */
  readonly retractCount: number;
}

export interface PrinterCapabilities {
  /** A presenter that holds the ticket and can retract it (e.g. VKP80). */
  readonly presenter: boolean;
  readonly retractBin: boolean;
  /** Characters per line in the normal font. */
  readonly columns: number;
}

export interface PrintRawRequest {
  /** Device-ready bytes (e.g. ESC/POS), at most 64 KiB per call. */
  readonly data: Uint8Array;
}

/** XFS4IoT ControlMedia subset: cut and what to do with the ticket afterwards. */
export interface ControlMediaRequest {
  readonly cut: boolean;
  /** `eject` presents the ticket; `retract` pulls it back into the bin. */
  readonly move?: 'eject' | 'retract';
}

export interface PrinterEvents extends CommonDeviceEvents<PrinterStatus> {
  /** Solicited: the ticket reached the exit. */
  mediaPresented: { readonly position: 'exit' };
  /** Unsolicited: the customer took the ticket. */
  mediaTaken: { readonly position: 'exit' };
  /** Unsolicited: the presenter retracted an untaken ticket by itself. */
  mediaAutoRetracted: { readonly retractCount: number };
  /** Unsolicited: paper crossed a threshold. */
  paperThreshold: { readonly paper: PaperState };
}

export interface PrinterDevice extends Device<PrinterStatus, PrinterEvents> {
  readonly deviceClass: 'printer';
  getCapabilities(): PrinterCapabilities;
  /** Prints raw bytes. Fails with paperOut / paperJammed, or deviceNotReady when the cover is open. */
  printRaw: DeviceCommand<PrintRawRequest, void, PrinterErrorCode>;
  /** Cuts and/or moves the ticket. Fails with mediaJammed or retractBinFull. */
  controlMedia: DeviceCommand<ControlMediaRequest, void, PrinterErrorCode>;
  /** Re-reads the status from the device now, instead of waiting for the next poll. */
  refreshStatus: DeviceCommand<void, PrinterStatus, PrinterErrorCode>;
}
