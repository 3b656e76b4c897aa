import type { DeviceResult } from '../../common/completion.js';
import type { CommonDeviceEvents, Device, DriverContext } from '../../common/device.js';
import type { CommonStatus } from '../../common/status.js';
import type {
  AuxiliariesDevice,
  AuxiliariesErrorCode,
  AuxiliariesEvents,
  AuxiliariesStatus,
  OperatorSwitchState,
  SetAuxiliariesRequest,
  UpsStatus,
} from '../contract.js';
import type { BoardReading, ModbusIoBoard } from './io-board.js';
import { ModbusIoBoardFace } from './io-board-face.js';
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
export class ModbusIoAuxiliaries
  extends ModbusIoBoardFace<AuxiliariesStatus, AuxiliariesEvents, AuxiliariesErrorCode>
  implements AuxiliariesDevice
{
  readonly deviceClass = 'auxiliaries' as const;

  /**
   * @param companions the other devices on the same board (its Lights face):
   * the runtime registers them under their own ids; they share this line.
   */
  constructor(
    context: DriverContext,
    board: ModbusIoBoard,
    readonly companions: readonly Device<CommonStatus, CommonDeviceEvents<CommonStatus>>[] = [],
  ) {
    super(context, board, INITIAL_STATUS);
  }

  setAuxiliaries = (
    request: SetAuxiliariesRequest,
    signal: AbortSignal,
  ): Promise<DeviceResult<void, AuxiliariesErrorCode>> =>
    this.command(signal, async () => {
      const alarm = request.audibleAlarm;
      if (alarm === undefined) return;
      await this.write('invalidAuxiliary', () =>
        this.board.master.writeCoil(COILS.audibleAlarm, alarm === 'on', signal),
      );
      this.store.update({ audibleAlarm: alarm });
    });

  protected apply(reading: BoardReading): void {
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
