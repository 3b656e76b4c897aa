import iconv from 'iconv-lite';
import { z } from 'zod';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';
import { SimulatorLine } from '../common/simulator-line.js';
import { EscPosStreamParser, type HostCommand } from './escpos-stream.js';
import { PaperModel, ticketText, type Gb18030Decoder, type Ticket } from './paper.js';
import { realtimeAnswer, vkp80FullStatus, type Fault, type Paper, type PrinterCondition } from './status-answers.js';

/*
 * Device side of an Epson-compatible ESC/POS thermal printer, or (model
 * `vkp80`) of a Custom VKP80 kiosk printer with a presenter and retract bin.
 * It parses what the host sends, puts it on simulated paper and answers the
 * status requests from its own model of the device.
 */

export type SimulatedModel = 'generic' | 'vkp80';

export interface EscPosPrinterSimulatorOptions {
  readonly model?: SimulatedModel;
  /** Characters per line in the normal font. Default 42. */
  readonly columns?: number;
}

const FAULTS = ['jam', 'cutter', 'headTemperature', 'powerSupply', 'memory'] as const satisfies readonly Fault[];
/** DLE EOT 20: the VKP80 full-status request. */
const FULL_STATUS_PAGE = 0x14;
// GS e functions (Custom/Pyramid presenter table).
const PRESENT = 3;
const PRESENT_WITH_TIMEOUT = 32;
const RETRACT = 2;
const EXPEL = 5;

const ControlSchemas = {
  paper: z.object({ level: z.enum(['full', 'nearEnd', 'out']) }).strict(),
  cover: z.object({ open: z.boolean() }).strict(),
  error: z.object({ unrecoverable: z.boolean() }).strict(),
  power: z.object({ on: z.boolean() }).strict(),
  clearOutput: z.object({}).strict(),
  /** Line noise: raw bytes sent to the host unasked. */
  noise: z.object({ bytes: z.array(z.number().int().min(0).max(255)).max(256) }).strict(),
  fault: z.object({ kind: z.enum(FAULTS), active: z.boolean() }).strict(),
  takeTicket: z.object({}).strict(),
  emptyRetractBin: z.object({}).strict(),
} as const;

const decodeGb18030: Gb18030Decoder = (bytes) => iconv.decode(Buffer.from(bytes), 'gb18030');

export class EscPosPrinterSimulator implements DeviceSimulator {
  readonly model: SimulatedModel;
  private paper: Paper = 'full';
  private coverOpen = false;
  private unrecoverable = false;
  private readonly faults = new Set<Fault>();
  private poweredOn = true;
  private cuts = 0;
  private unknownCommands = 0;
  private printed: number[] = [];
  private readonly parser = new EscPosStreamParser();
  private readonly sheet: PaperModel;
  private presented: Ticket | undefined;
  private retractCount = 0;
  private ticketsTaken = 0;
  private readonly line = new SimulatorLine((chunk) => this.receive(chunk));

  constructor(
    readonly name = 'receiptPrinter',
    options: EscPosPrinterSimulatorOptions = {},
  ) {
    this.model = options.model ?? 'generic';
    this.sheet = new PaperModel(options.columns ?? 42, decodeGb18030);
  }

  attach(transport: ByteTransport): Promise<void> {
    return this.line.attach(transport);
  }

  detach(): Promise<void> {
    return this.line.detach();
  }

  snapshot(): {
    model: SimulatedModel;
    paper: Paper;
    coverOpen: boolean;
    unrecoverableError: boolean;
    faults: Fault[];
    poweredOn: boolean;
    cuts: number;
    printedBytes: number;
    unknownCommands: number;
    ticketInPresenter: boolean;
    retractCount: number;
    ticketsTaken: number;
  } {
    return {
      model: this.model,
      paper: this.paper,
      coverOpen: this.coverOpen,
      unrecoverableError: this.unrecoverable,
      faults: [...this.faults],
      poweredOn: this.poweredOn,
      cuts: this.cuts,
      printedBytes: this.printed.length,
      unknownCommands: this.unknownCommands,
      ticketInPresenter: this.presented !== undefined,
      retractCount: this.retractCount,
      ticketsTaken: this.ticketsTaken,
    };
  }

  /** Everything printed since the last `clearOutput`, control codes included. */
  output(): Uint8Array {
    return Uint8Array.from(this.printed);
  }

  /** What is on the paper since the last `clearOutput`: cut tickets, then the uncut rest. */
  tickets(): Ticket[] {
    return this.sheet.printed();
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
        if (!this.poweredOn) this.parser.reset();
        break;
      case 'clearOutput':
        parse(ControlSchemas.clearOutput, body);
        this.printed = [];
        this.sheet.clear();
        break;
      case 'noise':
        void this.line.transport?.write(Uint8Array.from(parse(ControlSchemas.noise, body).bytes));
        break;
      case 'fault': {
        const { kind, active } = parse(ControlSchemas.fault, body);
        if (active) this.faults.add(kind);
        else this.faults.delete(kind);
        break;
      }
      case 'takeTicket':
        parse(ControlSchemas.takeTicket, body);
        return { ...this.snapshot(), ticket: ticketText(this.takeTicket()) };
      case 'emptyRetractBin':
        this.requirePresenter();
        parse(ControlSchemas.emptyRetractBin, body);
        this.retractCount = 0;
        break;
      default:
        throw new SimulatorControlError(`printer has no action "${action}"`);
    }
    return this.snapshot();
  }

  /** The customer pulls the ticket out of the presenter. */
  private takeTicket(): Ticket {
    this.requirePresenter();
    const ticket = this.presented;
    if (!ticket) throw new SimulatorControlError('no ticket in the presenter');
    this.presented = undefined;
    this.ticketsTaken += 1;
    return ticket;
  }

  private requirePresenter(): void {
    if (this.model !== 'vkp80') throw new SimulatorControlError(`a ${this.model} printer has no presenter`);
  }

  private condition(): PrinterCondition {
    return {
      paper: this.paper,
      coverOpen: this.coverOpen,
      unrecoverable: this.unrecoverable,
      faults: this.faults,
      ticketInPresenter: this.presented !== undefined,
    };
  }

  private receive(chunk: Uint8Array): void {
    if (!this.poweredOn) return;
    for (const { command, bytes } of this.parser.push(chunk)) {
      if (command.kind === 'realtimeStatus') {
        this.answerStatus(command.n);
        continue;
      }
      this.printed.push(...bytes);
      this.execute(command);
    }
  }

  private answerStatus(n: number): void {
    if (n >= 1 && n <= 4) void this.line.transport?.write(Uint8Array.of(realtimeAnswer(n, this.condition())));
    else if (n === FULL_STATUS_PAGE && this.model === 'vkp80')
      void this.line.transport?.write(vkp80FullStatus(this.condition()));
    else this.unknownCommands += 1;
  }

  private execute(command: HostCommand): void {
    switch (command.kind) {
      case 'unknown':
        this.unknownCommands += 1;
        return;
      case 'cut':
        // A broken cutter leaves the paper whole.
        if (this.faults.has('cutter')) return;
        this.cuts += 1;
        this.sheet.apply(command);
        return;
      case 'presenter':
        if (this.model === 'vkp80') this.presenter(command.n);
        else this.unknownCommands += 1;
        return;
      default:
        this.sheet.apply(command);
    }
  }

  private presenter(n: number): void {
    if (n === PRESENT || n === PRESENT_WITH_TIMEOUT) {
      // A jammed path keeps the ticket inside; an occupied presenter takes no second one.
      if (this.faults.has('jam') || this.presented) return;
      if (!this.faults.has('cutter')) this.sheet.cutIfPending();
      this.presented = this.sheet.takeTicket();
    } else if (n === RETRACT && this.presented) {
      this.presented = undefined;
      this.retractCount += 1;
    } else if (n === EXPEL && this.presented) {
      this.presented = undefined;
      this.ticketsTaken += 1;
    }
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}
