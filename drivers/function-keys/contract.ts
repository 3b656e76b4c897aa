import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Function display keys (FDKs beside the screen) and the accessibility keypad
 * used with headphones, as one key source. Keys report only while enabled, so
 * that a press on a screen that offers no such choice is never acted on.
 * Key names follow XFS4IoT Keyboard; the arrows are this kiosk's own names for
 * the accessibility keypad's navigation keys.
 */

/** Function keys errorCode values, used with `commandErrorCode`. */
export const FUNCTION_KEYS_ERROR_CODES = ['keyNotSupported'] as const;
export type FunctionKeysErrorCode = (typeof FUNCTION_KEYS_ERROR_CODES)[number];

export const FUNCTION_KEYS = [
  'fdk01',
  'fdk02',
  'fdk03',
  'fdk04',
  'fdk05',
  'fdk06',
  'fdk07',
  'fdk08',
  'enter',
  'cancel',
  'clear',
  'help',
  'up',
  'down',
  'left',
  'right',
] as const;
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

export interface FunctionKeysStatus extends CommonStatus {
  /** The keys that report presses now. */
  readonly enabledKeys: readonly FunctionKey[];
}

export interface FunctionKeysCapabilities {
  /** The keys physically present. */
  readonly keys: readonly FunctionKey[];
}

export interface FunctionKeysEvents extends CommonDeviceEvents<FunctionKeysStatus> {
  /** Unsolicited: an enabled key went down. */
  keyPressed: { readonly key: FunctionKey };
  /** Unsolicited: a key whose press was reported went up. */
  keyReleased: { readonly key: FunctionKey };
}

export interface FunctionKeysDevice extends Device<FunctionKeysStatus, FunctionKeysEvents> {
  readonly deviceClass: 'functionKeys';
  getCapabilities(): FunctionKeysCapabilities;
  /** Replaces the enabled set (empty = all off). Fails with keyNotSupported. */
  setEnabledKeys: DeviceCommand<{ readonly keys: readonly FunctionKey[] }, void, FunctionKeysErrorCode>;
}
