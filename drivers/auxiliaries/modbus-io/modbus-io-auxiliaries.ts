import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { CommonDeviceEvents, Device, DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import { ModbusExceptionError } from '../../common/modbus-master.js';
import type { CommonStatus, DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import type {
  AuxiliariesDevice,
  AuxiliariesErrorCode,
  AuxiliariesEvents,
  AuxiliariesStatus,
  OperatorSwitchState,
  SetAuxiliariesRequest,
  UpsStatus,
} from '../contract.js';
import { boardOpenFailure, type BoardReading, type ModbusIoBoard } from './io-board.js';
import { COILS, DISCRETE_INPUTS, OPERATOR_SWITCH_CODES } from './register-map.js';

const INITIAL_STATUS: AuxiliariesStatus = {
  device: 'offline',
  devicePosition: 'inPosition',
  operatorSwitch: 'notAvailable',
  safeDoor: 'notAvailable',
  cabinetDoor: 'notAvailable',
  vandalShield: 'notAvailable',
  tamperSensor: 'notAvailable',
  headphoneJack: 'notAvailable',
  ups: 'notAvailable',
  audibleAlarm: 'notAvailable',
};

/**
 * The enclosure sensors of a Modbus I/O board as an XFS4IoT Auxiliaries
 * device. Sensor changes arrive as `statusChanged` from the board's poll.
 */
export class ModbusIoAuxiliaries implements AuxiliariesDevice {
  readonly deviceClass = 'auxiliaries' as const;
  readonly id: string;
  private readonly hub = new EventHub<AuxiliariesEvents>();
  private readonly store = new StatusStore<AuxiliariesStatus, AuxiliariesEvents>(INITIAL_STATUS, this.hub);
  private readonly queue = new CommandQueue();
  private attached = false;

  /**
   * @param companions the other devices on the same board (its Lights face):
   * the runtime registers them under their own ids; they share this line.
   */
  constructor(
    context: DriverContext,
    private readonly board: ModbusIoBoard,
    readonly companions: readonly Device<CommonStatus, CommonDeviceEvents<CommonStatus>>[] = [],
  ) {
    this.id = context.id;
    board.on('reading', (reading) => this.apply(reading));
    board.on('lost', (detail) => this.store.update({ device: 'offline', detail }));
  }

  getStatus(): AuxiliariesStatus {
    return this.store.get();
  }

  on<K extends keyof AuxiliariesEvents>(type: K, listener: (payload: AuxiliariesEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    if (this.attached) return fail<never>('sequenceError', 'already open');
    try {
      const info = await this.board.attach(signal);
      this.attached = true;
      const reading = this.board.reading;
      if (reading) this.apply(reading);
      return ok(info);
    } catch (err) {
      return boardOpenFailure(err);
    }
  }

  async close(): Promise<void> {
    if (!this.attached) return;
    this.attached = false;
    await this.board.detach();
  }

  setAuxiliaries = (
    request: SetAuxiliariesRequest,
    signal: AbortSignal,
  ): Promise<DeviceResult<void, AuxiliariesErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, AuxiliariesErrorCode>(async () => {
        if (request.audibleAlarm === undefined) return;
        if (this.store.get().device !== 'online') throw new DeviceError('deviceNotReady', 'the I/O board is offline');
        try {
          await this.board.master.writeCoil(COILS.audibleAlarm, request.audibleAlarm === 'on', signal);
        } catch (err) {
          if (err instanceof ModbusExceptionError) {
            throw new DeviceError('commandErrorCode', err.message, 'invalidAuxiliary');
          }
          throw err;
        }
        this.store.update({ audibleAlarm: request.audibleAlarm });
      }),
    );

  private apply(reading: BoardReading): void {
    const bit = (address: number): boolean => reading.inputs[address] === true;
    const previousUps = this.store.get().ups;
    const powering = bit(DISCRETE_INPUTS.upsOnBattery);
    const ups: UpsStatus = {
      low: bit(DISCRETE_INPUTS.upsBatteryLow),
      engaged: true,
      powering,
      // Mains came back after a spell on battery; stays set until the next one.
      recovered: !powering && previousUps !== 'notAvailable' && (previousUps.powering || previousUps.recovered),
    };
    this.store.update({
      device: 'online',
      detail: 'ok',
      operatorSwitch: operatorSwitch(bit(DISCRETE_INPUTS.operatorSwitchBit1), bit(DISCRETE_INPUTS.operatorSwitchBit0)),
      safeDoor: bit(DISCRETE_INPUTS.safeDoorOpen) ? 'open' : 'closed',
      cabinetDoor: bit(DISCRETE_INPUTS.cabinetDoorOpen) ? 'open' : 'closed',
      vandalShield: bit(DISCRETE_INPUTS.vandalShieldOpen) ? 'open' : 'closed',
      tamperSensor: bit(DISCRETE_INPUTS.tamperActive) ? 'on' : 'off',
      headphoneJack: bit(DISCRETE_INPUTS.headphonesInserted) ? 'inserted' : 'notInserted',
      ups,
      audibleAlarm: reading.coils[COILS.audibleAlarm] === true ? 'on' : 'off',
    });
  }
}

/** Code 3 is not a switch position (a broken switch or cable): fail safe, out of service. */
function operatorSwitch(bit1: boolean, bit0: boolean): OperatorSwitchState {
  return OPERATOR_SWITCH_CODES[(bit1 ? 2 : 0) | (bit0 ? 1 : 0)] ?? 'maintenance';
}
