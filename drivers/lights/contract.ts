import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Guidance lights around the customer-facing slots, after XFS4IoT Lights: the
 * slot the customer must use next flashes.
 */

/** Lights errorCode values (XFS4IoT Lights), used with `commandErrorCode`. */
export const LIGHTS_ERROR_CODES = [
  /** The light is not fitted on this kiosk. */
  'invalidLight',
  /** The light is fitted but failed to switch. */
  'lightError',
] as const;
export type LightsErrorCode = (typeof LIGHTS_ERROR_CODES)[number];

export const LIGHT_NAMES = [
  'cardReader',
  'pinPad',
  'notesDispenser',
  'billAcceptor',
  'receiptPrinter',
  'idCardReader',
  'cardDispenser',
  'scanner',
] as const;
export type LightName = (typeof LIGHT_NAMES)[number];

/** `continuous` = steady on. */
export type FlashRate = 'off' | 'slow' | 'medium' | 'quick' | 'continuous';
export type LightColor = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'magenta' | 'white';

export interface LightState {
  readonly flashRate: FlashRate;
  /** Absent for single-colour lights. */
  readonly color?: LightColor;
}

export interface LightsStatus extends CommonStatus {
  /** One entry per fitted light. */
  readonly lights: Readonly<Partial<Record<LightName, LightState>>>;
}

export interface SetLightRequest {
  readonly light: LightName;
  readonly flashRate: FlashRate;
  /** Omitted = the light's default colour; ignored by single-colour lights. */
  readonly color?: LightColor;
}

export type LightsEvents = CommonDeviceEvents<LightsStatus>;

export interface LightsDevice extends Device<LightsStatus, LightsEvents> {
  readonly deviceClass: 'lights';
  /** Fails with invalidLight or lightError. */
  setLight: DeviceCommand<SetLightRequest, void, LightsErrorCode>;
}
