import type { Clock } from '../../common/clock.js';
import { PollLoop } from '../../common/poll-loop.js';
import { fail, toFailure, type Failure } from '../../common/completion.js';
import { EventHub, type Unsubscribe } from '../../common/events.js';
import type { ModbusMaster } from '../../common/modbus-master.js';
import type { DeviceInformation } from '../../common/status.js';
import {
  COIL_COUNT,
  DISCRETE_INPUT_COUNT,
  INPUT_REGISTER_COUNT,
  INPUT_REGISTERS,
  LIGHT_REGISTER_COUNT,
} from './register-map.js';

export interface ModbusIoBoardOptions {
  /** How often the inputs, coils and light registers are read, in ms. Default 250. */
  readonly pollIntervalMs?: number;
  /** Consecutive failed polls before the board is reported offline. Default 3. */
  readonly missedPollsOffline?: number;
}

/** One poll's raw reading of the board. */
export interface BoardReading {
  readonly inputs: readonly boolean[];
  readonly coils: readonly boolean[];
  readonly lightRegisters: readonly number[];
}

interface BoardEvents {
  reading: BoardReading;
  /** The board stopped answering (after `missedPollsOffline` polls). */
  lost: string;
}

/**
 * One Modbus I/O board shared by the devices it serves (the Auxiliaries and
 * Lights faces). It owns the link's lifetime — opened by the first face that
 * opens, closed when the last one closes — and the single poll loop, so the
 * faces never compete for the line. Faces turn readings into their status.
 */
export class ModbusIoBoard {
  private readonly hub = new EventHub<BoardEvents>();
  private readonly pollIntervalMs: number;
  private readonly missedPollsOffline: number;
  private users = 0;
  private starting: Promise<DeviceInformation> | undefined;
  private readonly polling: PollLoop;
  private missedPolls = 0;
  /** Bumped when the line closes, so a poll still in flight does not restart the old loop. */
  private generation = 0;
  private lastReading: BoardReading | undefined;

  constructor(
    readonly master: ModbusMaster,
    clock: Clock,
    options: ModbusIoBoardOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.missedPollsOffline = options.missedPollsOffline ?? 3;
    this.polling = new PollLoop(clock, () => this.pollIntervalMs, () => this.pollOnce(this.generation));
  }

  /** The latest good reading, or undefined while the board has not answered. */
  get reading(): BoardReading | undefined {
    return this.lastReading;
  }

  on<K extends keyof BoardEvents>(type: K, listener: (payload: BoardEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  /**
   * Registers a face: the first one opens the line, identifies the board and
   * reads it once before polling starts. Rejects (and unregisters) when the
   * line cannot be opened or the board does not answer.
   */
  async attach(signal: AbortSignal): Promise<DeviceInformation> {
    this.users += 1;
    try {
      this.starting ??= this.start(signal);
      return await this.starting;
    } catch (err) {
      this.starting = undefined;
      await this.detach();
      throw err;
    }
  }

  /** Unregisters a face; the last one stops polling and closes the line. */
  async detach(): Promise<void> {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users > 0) return;
    this.starting = undefined;
    this.generation += 1;
    this.polling.stop();
    await this.master.close();
  }

  private async start(signal: AbortSignal): Promise<DeviceInformation> {
    await this.master.open(signal);
    const [version = 0, serialHigh = 0, serialLow = 0] = await this.master.readInputRegisters(
      INPUT_REGISTERS.firmwareVersion,
      INPUT_REGISTER_COUNT,
      signal,
    );
    this.lastReading = await this.read(signal);
    this.missedPolls = 0;
    this.hub.emit('reading', this.lastReading);
    this.polling.start();
    return {
      modelName: 'Modbus RTU kiosk I/O board',
      serialNumber: String(serialHigh * 0x10000 + serialLow),
      firmware: `${version >> 8}.${version & 0xff}`,
      protocol: 'modbus-rtu',
    };
  }

  private async pollOnce(generation: number): Promise<void> {
    try {
      const reading = await this.read(new AbortController().signal);
      if (generation !== this.generation) return;
      this.lastReading = reading;
      this.missedPolls = 0;
      this.hub.emit('reading', this.lastReading);
    } catch (err) {
      if (generation !== this.generation) return;
      this.missedPolls += 1;
      if (this.missedPolls >= this.missedPollsOffline) {
        this.lastReading = undefined;
        this.hub.emit('lost', `I/O board: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private async read(signal: AbortSignal): Promise<BoardReading> {
    const inputs = await this.master.readDiscreteInputs(0, DISCRETE_INPUT_COUNT, signal);
    const coils = await this.master.readCoils(0, COIL_COUNT, signal);
    const lightRegisters = await this.master.readHoldingRegisters(0, LIGHT_REGISTER_COUNT, signal);
    return { inputs, coils, lightRegisters };
  }
}

/** A face's open failure: a line or board that does not work is a hardware error, not ours. */
export function boardOpenFailure(err: unknown): Failure<never> {
  const failure = toFailure<never>(err);
  const code = failure.completionCode === 'internalError' ? 'hardwareError' : failure.completionCode;
  return fail(code, `cannot open the I/O board: ${failure.errorDescription}`);
}
