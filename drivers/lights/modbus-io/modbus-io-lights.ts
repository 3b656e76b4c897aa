import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, complete, fail, ok, type DeviceResult } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import { ModbusExceptionError } from '../../common/modbus-master.js';
import type { DeviceInformation } from '../../common/status.js';
import { StatusStore } from '../../common/status-store.js';
import { boardOpenFailure, type BoardReading, type ModbusIoBoard } from '../../auxiliaries/modbus-io/io-board.js';
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
export class ModbusIoLights implements LightsDevice {
  readonly deviceClass = 'lights' as const;
  readonly id: string;
  private readonly hub = new EventHub<LightsEvents>();
  private readonly store = new StatusStore<LightsStatus, LightsEvents>(INITIAL_STATUS, this.hub);
  private readonly queue = new CommandQueue();
  private attached = false;

  constructor(
    context: DriverContext,
    private readonly board: ModbusIoBoard,
  ) {
    this.id = context.id;
    board.on('reading', (reading) => this.apply(reading));
    board.on('lost', (detail) => this.store.update({ device: 'offline', detail }));
  }

  getStatus(): LightsStatus {
    return this.store.get();
  }

  on<K extends keyof LightsEvents>(type: K, listener: (payload: LightsEvents[K]) => void): Unsubscribe {
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

  setLight = (request: SetLightRequest, signal: AbortSignal): Promise<DeviceResult<void, LightsErrorCode>> =>
    this.queue.run(signal, () =>
      complete<void, LightsErrorCode>(async () => {
        const address = LIGHT_REGISTERS[request.light];
        if (address === undefined) {
          throw new DeviceError('commandErrorCode', `no ${request.light} light on this board`, 'invalidLight');
        }
        if (this.store.get().device !== 'online') throw new DeviceError('deviceNotReady', 'the I/O board is offline');
        try {
          await this.board.master.writeRegister(address, flashRateCode(request.flashRate), signal);
        } catch (err) {
          if (err instanceof ModbusExceptionError) throw new DeviceError('commandErrorCode', err.message, 'lightError');
          throw err;
        }
        this.store.update({ lights: { ...this.store.get().lights, [request.light]: { flashRate: request.flashRate } } });
      }),
    );

  private apply(reading: BoardReading): void {
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
