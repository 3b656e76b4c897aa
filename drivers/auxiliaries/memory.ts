import { DeviceError } from '../common/completion.js';
import { MemoryDevice, type MemoryDeviceOptions } from '../common/memory-device.js';
import type {
  AuxiliariesDevice,
  AuxiliariesErrorCode,
  AuxiliariesEvents,
  AuxiliariesStatus,
  DoorState,
  SetAuxiliariesRequest,
} from './contract.js';

type SensorFields = Omit<AuxiliariesStatus, 'device' | 'devicePosition' | 'detail'>;

export interface MemoryAuxiliariesOptions extends MemoryDeviceOptions {
  /** Initial sensor readings; by default everything is fitted, closed, locked and quiet. */
  readonly sensors?: Partial<SensorFields>;
}

const DEFAULT_SENSORS: SensorFields = {
  operatorSwitch: 'run',
  safeDoor: 'locked',
  cabinetDoor: 'closed',
  vandalShield: 'closed',
  tamperSensor: 'off',
  headphoneJack: 'notInserted',
  ups: { low: false, engaged: true, powering: false, recovered: false },
  audibleAlarm: 'off',
};

/** In-memory enclosure sensors; tests open doors and turn switches. */
export class MemoryAuxiliaries
  extends MemoryDevice<AuxiliariesStatus, AuxiliariesEvents, AuxiliariesErrorCode, 'setAuxiliaries'>
  implements AuxiliariesDevice
{
  readonly deviceClass = 'auxiliaries' as const;

  constructor(options: MemoryAuxiliariesOptions) {
    super(options, { device: 'online', devicePosition: 'inPosition', ...DEFAULT_SENSORS, ...options.sensors });
  }

  setAuxiliaries = (request: SetAuxiliariesRequest, signal: AbortSignal) =>
    this.command('setAuxiliaries', signal, () => {
      if (request.audibleAlarm === undefined) return;
      if (this.getStatus().audibleAlarm === 'notAvailable') {
        throw new DeviceError<AuxiliariesErrorCode>('commandErrorCode', 'no audible alarm fitted', 'invalidAuxiliary');
      }
      this.patchStatus({ audibleAlarm: request.audibleAlarm });
    });

  // ---- test side ----

  openDoor(door: 'safe' | 'cabinet'): void {
    this.setDoor(door, 'open');
  }

  /** Closes the door; the safe door also locks, as its bolt work does. */
  closeDoor(door: 'safe' | 'cabinet'): void {
    this.setDoor(door, door === 'safe' ? 'locked' : 'closed');
  }

  /** Any other sensor change (operator switch, shield, tamper, headphones, UPS). */
  setSensors(patch: Partial<SensorFields>): void {
    this.patchStatus(patch);
  }

  private setDoor(door: 'safe' | 'cabinet', state: DoorState): void {
    this.patchStatus(door === 'safe' ? { safeDoor: state } : { cabinetDoor: state });
  }
}
