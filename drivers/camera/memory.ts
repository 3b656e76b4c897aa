import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  CameraDevice,
  CameraErrorCode,
  CameraEvents,
  CameraPosition,
  CameraState,
  CameraStatus,
  Picture,
  TakePictureRequest,
} from './contract.js';

export interface MemoryCameraOptions extends MemoryDeviceOptions {
  /** Which cameras exist; default all three `ok`. */
  readonly cameras?: Readonly<Record<CameraPosition, CameraState>>;
}

/** The smallest well-formed JPEG marker pair (SOI, EOI): a placeholder frame. */
const PLACEHOLDER: Picture = { image: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), mimeType: 'image/jpeg' };

/** In-memory cameras; tests set the frame each one sees and read back what was taken. */
export class MemoryCamera
  extends MemoryDevice<CameraStatus, CameraEvents, CameraErrorCode, 'takePicture'>
  implements CameraDevice
{
  readonly deviceClass = 'camera' as const;
  /** Test side: every picture request that succeeded, in order. */
  readonly taken: TakePictureRequest[] = [];
  private readonly frames = new Map<CameraPosition, Picture>();

  constructor(options: MemoryCameraOptions) {
    super(options, {
      device: 'online',
      devicePosition: 'inPosition',
      cameras: options.cameras ?? { room: 'ok', person: 'ok', exitSlot: 'ok' },
    });
  }

  takePicture = (request: TakePictureRequest, signal: AbortSignal) =>
    this.command('takePicture', signal, (): Picture => {
      const state = this.getStatus().cameras[request.camera];
      if (state === 'notSupported') {
        throw new DeviceError<CameraErrorCode>('commandErrorCode', `no ${request.camera} camera`, 'cameraNotSupported');
      }
      if (state !== 'ok') {
        throw new DeviceError<CameraErrorCode>('commandErrorCode', `${request.camera} camera ${state}`, 'cameraInoperable');
      }
      this.taken.push(request);
      const frame = this.frames.get(request.camera) ?? PLACEHOLDER;
      return { image: frame.image.slice(), mimeType: frame.mimeType };
    });

  // ---- test side ----

  /** What `camera` sees from now on. */
  setFrame(camera: CameraPosition, picture: Picture): void {
    this.frames.set(camera, picture);
  }

  /** A camera fails or recovers. */
  setCameraState(camera: CameraPosition, state: CameraState): void {
    this.patchStatus({ cameras: { ...this.getStatus().cameras, [camera]: state } });
  }
}
