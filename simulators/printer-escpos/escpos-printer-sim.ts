import { z } from 'zod';
import type { Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';

/*
 * Device side of an Epson-compatible ESC/POS thermal printer. The answer bytes
 * are built here from the command reference (fixed bits 1 and 4 = 0x12, plus
 * the flag bits of each DLE EOT page), independently of the driver's decoder.
 */
const ANSWER_BASE = 0x12;
const OFFLINE = 0x08;
const COVER_OPEN = 0x04;
const STOPPED_BY_PAPER_END = 0x20;
const ERROR_OCCURRED = 0x40;
const UNRECOVERABLE = 0x20;
const NEAR_END_SENSORS = 0x0c;
const PAPER_END_SENSORS = 0x60;

type Paper = 'full' | 'nearEnd' | 'out';

const ControlSchemas = {
  paper: z.object({ level: z.enum(['full', 'nearEnd', 'out']) }).strict(),
  cover: z.object({ open: z.boolean() }).strict(),
  error: z.object({ unrecoverable: z.boolean() }).strict(),
  power: z.object({ on: z.boolean() }).strict(),
  clearOutput: z.object({}).strict(),
  /** Line noise: raw bytes sent to the host unasked. */
  noise: z.object({ bytes: z.array(z.number().int().min(0).max(255)).max(256) }).strict(),
} as const;

export class EscPosPrinterSimulator implements DeviceSimulator {
  private paper: Paper = 'full';
  private coverOpen = false;
  private unrecoverable = false;
  private poweredOn = true;
  private cuts = 0;
  private printed: number[] = [];
  private pending: number[] = [];
  private transport: ByteTransport | undefined;
  private offData: Unsubscribe | undefined;

  constructor(readonly name = 'receiptPrinter') {}

  async attach(transport: ByteTransport): Promise<void> {
    await transport.open();
    this.transport = transport;
    this.offData = transport.onData((chunk) => this.receive(chunk));
  }

  async detach(): Promise<void> {
    this.offData?.();
    await this.transport?.close();
    this.transport = undefined;
  }

  snapshot(): {
    paper: Paper;
    coverOpen: boolean;
    unrecoverableError: boolean;
    poweredOn: boolean;
    cuts: number;
    printedBytes: number;
  } {
    return {
      paper: this.paper,
      coverOpen: this.coverOpen,
      unrecoverableError: this.unrecoverable,
      poweredOn: this.poweredOn,
      cuts: this.cuts,
      printedBytes: this.printed.length,
    };
  }

  /** Everything printed since the last `clearOutput`, control codes included. */
  output(): Uint8Array {
    return Uint8Array.from(this.printed);
  }

  control(action: string, body: unknown): unknown {
    switch (action) {
      case 'paper':
        this.paper = parse(ControlSchemas.paper, body).level;
        break;
      case 'cover':
        this.coverOpen = parse(ControlSchemas.cover, body).open;
        break;
      case 'error':
        this.unrecoverable = parse(ControlSchemas.error, body).unrecoverable;
        break;
      case 'power':
        this.poweredOn = parse(ControlSchemas.power, body).on;
        break;
      case 'clearOutput':
        parse(ControlSchemas.clearOutput, body);
        this.printed = [];
        break;
      case 'noise':
        void this.transport?.write(Uint8Array.from(parse(ControlSchemas.noise, body).bytes));
        break;
      default:
        throw new SimulatorControlError(`printer has no action "${action}"`);
    }
    return this.snapshot();
  }

  private receive(chunk: Uint8Array): void {
    if (!this.poweredOn) return;
    this.pending.push(...chunk);
    while (this.pending.length > 0) {
      const [b0, b1, b2] = this.pending;
      if (b0 === 0x10 && (b1 === undefined || (b1 === 0x04 && b2 === undefined))) return; // wait for the rest
      if (b0 === 0x10 && b1 === 0x04 && b2 !== undefined && b2 >= 1 && b2 <= 4) {
        this.pending.splice(0, 3);
        void this.transport?.write(Uint8Array.of(this.answer(b2)));
        continue;
      }
      if (b0 === 0x1d && b1 === 0x56) this.cuts += 1;
      this.printed.push(this.pending.shift() as number);
    }
  }

  private answer(page: number): number {
    const paperOut = this.paper === 'out';
    switch (page) {
      case 1:
        return ANSWER_BASE | (this.coverOpen || paperOut || this.unrecoverable ? OFFLINE : 0);
      case 2:
        return (
          ANSWER_BASE |
          (this.coverOpen ? COVER_OPEN : 0) |
          (paperOut ? STOPPED_BY_PAPER_END : 0) |
          (this.unrecoverable ? ERROR_OCCURRED : 0)
        );
      case 3:
        return ANSWER_BASE | (this.unrecoverable ? UNRECOVERABLE : 0);
      default:
        return (
          ANSWER_BASE |
          (this.paper === 'nearEnd' || paperOut ? NEAR_END_SENSORS : 0) |
          (paperOut ? PAPER_END_SENSORS : 0)
        );
    }
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
