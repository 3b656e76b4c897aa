import type { Unsubscribe } from './events.js';

/** The physical link a driver talks through; chosen by configuration, injected. */
export type TransportKind = 'serial' | 'tcp' | 'memory' | 'hid' | 'pcsc';

interface TransportBase {
  readonly kind: TransportKind;
  /** Human-readable endpoint, e.g. "/dev/ttyS0@9600" or "127.0.0.1:7001". */
  readonly description: string;
  /** Opens the link. Rejects when the endpoint cannot be reached. Idempotent. */
  open(signal?: AbortSignal): Promise<void>;
  /** Closes the link and releases the endpoint. Idempotent; never rejects. */
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** Called once when the link closes for any reason (local close or peer loss). */
  onClose(listener: (reason?: Error) => void): Unsubscribe;
}

/**
 * A byte stream (serial port, TCP socket, in-memory pipe). Chunk boundaries are
 * arbitrary: framing belongs to the protocol codec, not the transport.
 */
export interface ByteTransport extends TransportBase {
  readonly kind: 'serial' | 'tcp' | 'memory';
  /** Queues bytes; resolves once they are handed to the OS (drained). */
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
}

/** A USB HID interface: whole reports in both directions. */
export interface ReportTransport extends TransportBase {
  readonly kind: 'hid' | 'memory';
  /** Sends an output report; `reportId` 0 when the device uses none. */
  sendReport(reportId: number, data: Uint8Array): Promise<void>;
  onReport(listener: (reportId: number, data: Uint8Array) => void): Unsubscribe;
}

/** A smart-card slot reached through PC/SC (or an in-memory card). */
export interface ApduTransport extends TransportBase {
  readonly kind: 'pcsc' | 'memory';
  /** Powers the card and returns its ATR; rejects when no card is present. */
  powerOn(signal?: AbortSignal): Promise<Uint8Array>;
  powerOff(): Promise<void>;
  /** Sends one command APDU and returns the response APDU (data + SW1 SW2). */
  transmit(apdu: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Reports card presence changes in the slot. */
  onPresence(listener: (present: boolean) => void): Unsubscribe;
}

export type Transport = ByteTransport | ReportTransport | ApduTransport;
