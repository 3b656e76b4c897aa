import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Sensors and indicators of the kiosk enclosure, after XFS4IoT Auxiliaries.
 * Changes arrive only as `statusChanged`. A sensor the kiosk lacks reads
 * `notAvailable`. Out of service (§4.8): `operatorSwitch` not `run`, `safeDoor`
 * `open`, or any `tampered` / tamperSensor `on`.
 */

/** Auxiliaries errorCode values, used with `commandErrorCode`. */
export const AUXILIARIES_ERROR_CODES = [
  /** The request names an output this kiosk does not have. */
  'invalidAuxiliary',
] as const;
export type AuxiliariesErrorCode = (typeof AUXILIARIES_ERROR_CODES)[number];

export type OperatorSwitchState = 'run' | 'maintenance' | 'supervisor' | 'notAvailable';
export type DoorState = 'closed' | 'open' | 'locked' | 'bolted' | 'tampered' | 'notAvailable';
/** `keyboard` = raised just enough for the PIN pad; `service` = open for the engineer. */
export type VandalShieldState =
  | 'closed'
  | 'open'
  | 'locked'
  | 'service'
  | 'keyboard'
  | 'partiallyOpen'
  | 'jammed'
  | 'tampered'
  | 'notAvailable';
export type OnOffState = 'on' | 'off' | 'notAvailable';

/** XFS4IoT `ups`: `powering` = the kiosk runs on battery; `recovered` = mains back after `powering`. */
export interface UpsStatus {
  /** The battery is nearly exhausted: finish the session and shut down. */
  readonly low: boolean;
  /** The UPS is switched in and ready. */
  readonly engaged: boolean;
  readonly powering: boolean;
  readonly recovered: boolean;
}

export interface AuxiliariesStatus extends CommonStatus {
  readonly operatorSwitch: OperatorSwitchState;
  readonly safeDoor: DoorState;
  readonly cabinetDoor: DoorState;
  readonly vandalShield: VandalShieldState;
  readonly tamperSensor: OnOffState;
  /** Audio guidance: headphones plugged into the accessibility jack. */
  readonly headphoneJack: 'inserted' | 'notInserted' | 'notAvailable';
  readonly ups: UpsStatus | 'notAvailable';
  readonly audibleAlarm: OnOffState;
}

/** The outputs that can be set; omitted ones are left as they are. */
export interface SetAuxiliariesRequest {
  readonly audibleAlarm?: 'on' | 'off';
}

export type AuxiliariesEvents = CommonDeviceEvents<AuxiliariesStatus>;

export interface AuxiliariesDevice extends Device<AuxiliariesStatus, AuxiliariesEvents> {
  readonly deviceClass: 'auxiliaries';
  /** Present when the kiosk has settable outputs. Fails with invalidAuxiliary. */
  setAuxiliaries?: DeviceCommand<SetAuxiliariesRequest, void, AuxiliariesErrorCode>;
}
