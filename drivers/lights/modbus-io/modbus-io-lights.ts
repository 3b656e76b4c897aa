import { DeviceError, type DeviceResult } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import type { BoardReading, ModbusIoBoard } from '../../auxiliaries/modbus-io/io-board.js';
import { ModbusIoBoardFace } from '../../auxiliaries/modbus-io/io-board-face.js';
import { LIGHT_REGISTERS, flashRateCode, flashRateOf } from '../../auxiliaries/modbus-io/register-map.js';
import {
  LIGHT_NAMES,
  type LightName,
  type LightState,
  type LightsDevice,
  type LightsErrorCode,
  type LightsEvents,
  type LightsStatus,
  type SetLightRequest,
} from '../contract.js';

const INITIAL_STATUS: LightsStatus = { device: 'offline', devicePosition: 'inPosition', lights: {} };

/**
 * The guidance lights of a Modbus I/O board as an XFS4IoT Lights device: one
 * holding register per light holds its flash rate. It shares the board (line
 * and poll) with the Auxiliaries face; its own reads come from that poll, so a
 * light changed behind our back, or reset by a board restart, shows up too.
 */
export class ModbusIoLights extends ModbusIoBoardFace<LightsStatus, LightsEvents, LightsErrorCode> implements LightsDevice {
  readonly deviceClass = 'lights' as const;

  constructor(context: DriverContext, board: ModbusIoBoard) {
    super(context, board, INITIAL_STATUS);
  }

  setLight = (request: SetLightRequest, signal: AbortSignal): Promise<DeviceResult<void, LightsErrorCode>> =>
    this.command(signal, async () => {
      const address = LIGHT_REGISTERS[request.light];
      if (address === undefined) {
        throw new DeviceError('commandErrorCode', `no ${request.light} light on this board`, 'invalidLight');
      }
      await this.write('lightError', () =>
        this.board.master.writeRegister(address, flashRateCode(request.flashRate), signal),
      );
      this.store.update({ lights: { ...this.store.get().lights, [request.light]: { flashRate: request.flashRate } } });
    });

  protected apply(reading: BoardReading): void {
    const previous = this.store.get().lights;
    const lights: Partial<Record<LightName, LightState>> = {};
    for (const name of LIGHT_NAMES) {
      const address = LIGHT_REGISTERS[name];
      if (address === undefined) continue;
      // A value outside the map is a board fault; keep what we last knew.
      const flashRate = flashRateOf(reading.lightRegisters[address] ?? -1) ?? previous[name]?.flashRate ?? 'off';
      lights[name] = { flashRate };
    }
    this.store.update({ device: 'online', detail: 'ok', lights });
  }
}
