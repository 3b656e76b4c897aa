import type { Clock } from './clock.js';
import type { DeviceResult } from './completion.js';
import type { Unsubscribe } from './events.js';
import type { CommonStatus, DeviceInformation } from './status.js';

/** The device classes the kiosk drives (one XFS4IoT interface family each). */
export const DEVICE_CLASSES = [
  'cardReader',
  'pinPad',
  'cashDispenser',
  'cashAcceptor',
  'storage',
  'printer',
  'cardDispenser',
  'idCardReader',
  'barcodeScanner',
  'functionKeys',
  'auxiliaries',
  'lights',
  'camera',
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** XFS4IoT Common.ErrorEvent: what went wrong and what the application should do. */
export interface DeviceErrorEvent {
  readonly eventId: 'hardware' | 'software' | 'user' | 'fraudAttempt';
  readonly action: 'reset' | 'softwareError' | 'configuration' | 'clear' | 'maintenance' | 'suspend';
  readonly vendorDescription: string;
}

/** Events every device emits besides its class's own. */
export interface CommonDeviceEvents<S> {
  /** Unsolicited: only the properties that changed, after XFS4IoT StatusChangedEvent. */
  statusChanged: Partial<S>;
  /** Unsolicited: Common.ErrorEvent. */
  error: DeviceErrorEvent;
}

/**
 * What every device-class contract extends. A device is opened once, reports a
 * status snapshot synchronously, and announces changes as events. Commands are
 * the class's own members, each a `DeviceCommand`.
 */
export interface Device<S extends CommonStatus, Events extends CommonDeviceEvents<S>> {
  /** Configured logical name, e.g. "receiptPrinter". */
  readonly id: string;
  readonly deviceClass: DeviceClass;
  /** Connects the transport and initialises the device. */
  open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>>;
  /** Stops polling and closes the transport; never rejects. */
  close(): Promise<void>;
  /** The latest known status; `device: 'offline'` until the device has answered. */
  getStatus(): S;
  on<K extends keyof Events>(type: K, listener: (payload: Events[K]) => void): Unsubscribe;
}

/** What a driver factory receives: its transport(s) are added per class. */
export interface DriverContext {
  readonly id: string;
  readonly clock: Clock;
}
