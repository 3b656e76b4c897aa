import type { DeviceCommand } from '../common/completion.js';
import type { CommonDeviceEvents, Device } from '../common/device.js';
import type { CommonStatus } from '../common/status.js';

/**
 * Surveillance cameras, after XFS4IoT Camera (TakePicture): evidence for
 * disputes and fraud, taken at card insertion, PIN entry and cash presentation.
 * Pictures are personal data: they go to the evidence store, never to logs.
 */

/** Camera errorCode values (XFS4IoT Camera), used with `commandErrorCode`. */
export const CAMERA_ERROR_CODES = [
  /** The kiosk has no camera in that position. */
  'cameraNotSupported',
  /** The camera is fitted but not working. */
  'cameraInoperable',
  /** The device's picture store is full. */
  'mediaFull',
] as const;
export type CameraErrorCode = (typeof CAMERA_ERROR_CODES)[number];

/** `room` = the area, `person` = the customer's face, `exitSlot` = the cash/card exit. */
export const CAMERA_POSITIONS = ['room', 'person', 'exitSlot'] as const;
export type CameraPosition = (typeof CAMERA_POSITIONS)[number];

export type CameraState = 'ok' | 'inoperative' | 'notSupported' | 'unknown';

export interface CameraStatus extends CommonStatus {
  readonly cameras: Readonly<Record<CameraPosition, CameraState>>;
}

export interface TakePictureRequest {
  readonly camera: CameraPosition;
  /** Text burnt into the picture (e.g. kiosk id and transaction number; never card data). */
  readonly camData?: string;
}

export interface Picture {
  readonly image: Uint8Array;
  readonly mimeType: 'image/jpeg' | 'image/png';
}

export type CameraEvents = CommonDeviceEvents<CameraStatus>;

export interface CameraDevice extends Device<CameraStatus, CameraEvents> {
  readonly deviceClass: 'camera';
  /** Fails with cameraNotSupported, cameraInoperable, mediaFull. */
  takePicture: DeviceCommand<TakePictureRequest, Picture, CameraErrorCode>;
}
