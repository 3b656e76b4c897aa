import { z } from 'zod';
import { systemClock, type Clock, type TimerHandle } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { SimulatorLine } from '../common/simulator-line.js';
import {
  FLASH_RATES,
  LIGHT_ORDER,
  newBoardMemory,
  serve,
  type BoardInputs,
  type BoardLight,
  type BoardMemory,
} from './io-board-registers.js';
import { encodeRtuFrame, RtuRequestReceiver, type RtuRequest } from './rtu-frame.js';

export interface IoBoardSimulatorOptions {
  readonly clock?: Clock;
  /** The board's unit address. Default 1. */
  readonly unitId?: number;
  /**
   * Line silence that ends a frame, in ms. Real RTU uses 3.5 characters
   * (1.75 ms above 19200 baud); a pty delivers bytes in bursts with
   * scheduling jitter, so the simulator waits longer. Default 10.
   */
  readonly frameGapMs?: number;
}

/** What `garbage` sends when no bytes are given: noise with a plausible header inside. */
const DEFAULT_GARBAGE = [0x00, 0xff, 0x01, 0x02, 0x55, 0xaa, 0x13, 0x37];

const ControlSchemas = {
  operatorSwitch: z.object({ position: z.enum(['run', 'supervisor', 'maintenance']) }).strict(),
  door: z.object({ door: z.enum(['safe', 'cabinet']), open: z.boolean() }).strict(),
  vandalShield: z.object({ open: z.boolean() }).strict(),
  tamper: z.object({ active: z.boolean() }).strict(),
  headphones: z.object({ inserted: z.boolean() }).strict(),
  ups: z.object({ onBattery: z.boolean(), low: z.boolean().optional() }).strict(),
  power: z.object({ on: z.boolean() }).strict(),
  /** Line noise sent to the host unasked. */
  garbage: z.object({ bytes: z.array(z.number().int().min(0).max(255)).min(1).max(256).optional() }).strict(),
} as const;

export interface IoBoardSnapshot {
  readonly poweredOn: boolean;
  readonly inputs: BoardInputs;
  readonly audibleAlarm: boolean;
  readonly lights: Readonly<Record<BoardLight, (typeof FLASH_RATES)[number] | number>>;
  /** Requests answered (including exception answers). */
  readonly answered: number;
  /** Frames dropped for a bad CRC, truncation or size. */
  readonly dropped: number;
}

/**
 * Device side of the kiosk I/O board: a Modbus RTU slave with its own frame
 * codec and CRC. Powered off, it hears nothing and answers nothing.
 */
export class ModbusIoBoardSimulator implements DeviceSimulator {
  private readonly clock: Clock;
  private readonly unitId: number;
  private readonly frameGapMs: number;
  private memory: BoardMemory = newBoardMemory();
  private receiver = new RtuRequestReceiver();
  private poweredOn = true;
  private answered = 0;
  private gapTimer: TimerHandle | undefined;
  private readonly line = new SimulatorLine((chunk) => this.receive(chunk));

  constructor(
    readonly name = 'ioBoard',
    options: IoBoardSimulatorOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.unitId = options.unitId ?? 1;
    this.frameGapMs = options.frameGapMs ?? 10;
  }

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  async detach(): Promise<void> {
    if (this.gapTimer) this.clock.clearTimeout(this.gapTimer);
    await this.line.detach();
  }

  snapshot(): IoBoardSnapshot {
    const lights = Object.fromEntries(
      LIGHT_ORDER.map((name, i) => {
        const code = this.memory.lights[i] ?? 0;
        return [name, FLASH_RATES[code] ?? code];
      }),
    ) as IoBoardSnapshot['lights'];
    return {
      poweredOn: this.poweredOn,
      inputs: { ...this.memory.inputs },
      audibleAlarm: this.memory.coils[0] === true,
      lights,
      answered: this.answered,
      dropped: this.receiver.dropped,
    };
  }

  control(action: string, body: unknown): unknown {
    const inputs = this.memory.inputs;
    switch (action) {
      case 'operatorSwitch':
        inputs.operatorSwitch = parse(ControlSchemas.operatorSwitch, body).position;
        break;
      case 'door': {
        const { door, open } = parse(ControlSchemas.door, body);
        if (door === 'safe') inputs.safeDoorOpen = open;
        else inputs.cabinetDoorOpen = open;
        break;
      }
      case 'vandalShield':
        inputs.vandalShieldOpen = parse(ControlSchemas.vandalShield, body).open;
        break;
      case 'tamper':
        inputs.tamperActive = parse(ControlSchemas.tamper, body).active;
        break;
      case 'headphones':
        inputs.headphonesInserted = parse(ControlSchemas.headphones, body).inserted;
        break;
      case 'ups': {
        const ups = parse(ControlSchemas.ups, body);
        inputs.upsOnBattery = ups.onBattery;
        inputs.upsBatteryLow = ups.low ?? false;
        break;
      }
      case 'power':
        this.setPower(parse(ControlSchemas.power, body).on);
        break;
      case 'garbage':
        void this.line.transport?.write(Uint8Array.from(parse(ControlSchemas.garbage, body).bytes ?? DEFAULT_GARBAGE));
        break;
      default:
        throw new SimulatorControlError(`I/O board has no action "${action}"`);
    }
    return this.snapshot();
  }

  private setPower(on: boolean): void {
    if (on && !this.poweredOn) {
      // A board coming up has lost its outputs and any half-heard frame.
      this.memory = { ...newBoardMemory(), inputs: this.memory.inputs };
      this.receiver = new RtuRequestReceiver();
    }
    this.poweredOn = on;
  }

  private receive(chunk: Uint8Array): void {
    if (!this.poweredOn) return;
    this.answer(this.receiver.push(chunk));
    if (this.gapTimer) this.clock.clearTimeout(this.gapTimer);
    this.gapTimer = this.clock.setTimeout(() => {
      this.gapTimer = undefined;
      this.answer(this.receiver.silence());
    }, this.frameGapMs);
  }

  private answer(requests: readonly RtuRequest[]): void {
    for (const request of requests) {
      // Broadcast (address 0) writes are carried out but never answered.
      if (request.address !== this.unitId && request.address !== 0) continue;
      const pdu = serve(this.memory, request);
      if (request.address === 0) continue;
      this.answered += 1;
      void this.line.transport?.write(encodeRtuFrame(this.unitId, pdu));
    }
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
