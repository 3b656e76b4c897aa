/**
 * Device state after XFS4IoT `Common.Status.common.device`. Only `online` is
 * usable; `deviceBusy` is transient; `fraudAttempt` takes the kiosk out of
 * service; `potentialFraud` leaves the decision to the application.
 */
export const DEVICE_STATES = [
  'online',
  'offline',
  'powerOff',
  'noDevice',
  'hardwareError',
  'userError',
  'deviceBusy',
  'fraudAttempt',
  'potentialFraud',
  'starting',
] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/** Where the device sits relative to its operating position. */
export type DevicePosition = 'inPosition' | 'notInPosition' | 'unknown';

/** The status fields every device class shares. */
export interface CommonStatus {
  readonly device: DeviceState;
  readonly devicePosition: DevicePosition;
  /** Vendor text for logs and the maintenance screen; never branched on. */
  readonly detail?: string;
}

/** Whether a device in this state can take customer commands. */
export function isUsable(state: DeviceState): boolean {
  return state === 'online' || state === 'potentialFraud';
}

/** Manufacturer facts reported by Common.Capabilities. */
export interface DeviceInformation {
  readonly modelName: string;
  readonly serialNumber: string;
  readonly firmware: string;
  /** The protocol the driver speaks, e.g. "escpos" or "lcdm4000". */
  readonly protocol: string;
}
