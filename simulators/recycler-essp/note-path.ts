import { join } from 'node:path';
import { z } from 'zod';
import { SimulatorControlError } from '../common/simulator.js';
import { StateFile } from '../dispenser-core/state-file.js';

/**
 * The mechanics of a note acceptor, independent of its protocol: the
 * customer's hand and the feeder, the validator head, a bunch escrow, the
 * bezel (returned or paid notes), recycle cassettes per denomination, the
 * cashbox, and the faults an engineer can cause. Both acceptor simulators
 * speak their protocol over one of these; state survives the process in a
 * JSON file replaced atomically (StateFile).
 */
export const QUALITIES = ['fit', 'unfit', 'suspect', 'counterfeit', 'unrecognized'] as const;
export type Quality = (typeof QUALITIES)[number];

export interface SimNote {
  readonly denomination: number;
  readonly currency: string;
  readonly serial: string;
  readonly quality: Quality;
}

export interface Recycler {
  readonly denomination: number;
  readonly currency: string;
  readonly capacity: number;
  notes: SimNote[];
}

export interface NotePathState {
  feeder: SimNote[];
  head: SimNote | undefined;
  escrow: SimNote[];
  bezel: SimNote[];
  hand: SimNote[];
  recyclers: Recycler[];
  /** Denominations routed to the cashbox instead of a recycler (value list). */
  cashboxRoutes: number[];
  cashbox: { capacity: number; present: boolean; notes: SimNote[] };
  jammed: boolean;
  powered: boolean;
}

export interface NotePathConfig {
  readonly currency: string;
  /** Validator channels 1..n. */
  readonly channels: readonly number[];
  readonly recyclers: readonly { readonly denomination: number; readonly capacity: number; readonly count?: number }[];
  readonly cashboxCapacity: number;
  readonly escrowCapacity: number;
}

const note = z.object({
  denomination: z.number().int().min(0),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('CNY'),
  serial: z.string().regex(/^[A-Z0-9]{0,20}$/),
  quality: z.enum(QUALITIES),
});

/** Developer API bodies shared by the acceptor simulators. */
export const AcceptorControlSchemas = {
  insertNotes: z.object({ notes: z.array(note).min(1).max(200) }).strict(),
  takeReturnedNotes: z.object({}).strict(),
  fault: z.discriminatedUnion('kind', [
    z.object({ kind: z.enum(['jam', 'cashboxRemoved', 'stackerFull', 'fraudAttempt', 'garbage']) }).strict(),
    z.object({ kind: z.literal('noAnswer'), count: z.number().int().min(1).max(1000).default(1) }).strict(),
  ]),
  clear: z.object({ kind: z.enum(['jam', 'cashboxRemoved', 'stackerFull']) }).strict(),
  power: z.object({ on: z.boolean() }).strict(),
  emptyCashbox: z.object({}).strict(),
} as const;

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new SimulatorControlError(result.error.message);
  return result.data;
}

export class NotePath {
  readonly state: NotePathState;
  private readonly file: StateFile<NotePathState> | undefined;
  private written = '';

  constructor(
    readonly config: NotePathConfig,
    stateDir?: string,
  ) {
    this.file = stateDir === undefined ? undefined : new StateFile<NotePathState>(join(stateDir, 'note-path.json'));
    this.state = this.file?.read() ?? this.fresh();
  }

  private fresh(): NotePathState {
    let serial = 0;
    return {
      feeder: [],
      head: undefined,
      escrow: [],
      bezel: [],
      hand: [],
      recyclers: this.config.recyclers.map((r) => ({
        denomination: r.denomination,
        currency: this.config.currency,
        capacity: r.capacity,
        notes: Array.from({ length: r.count ?? 0 }, () => ({
          denomination: r.denomination,
          currency: this.config.currency,
          serial: `FL${String(++serial).padStart(8, '0')}`,
          quality: 'fit' as const,
        })),
      })),
      cashboxRoutes: [],
      cashbox: { capacity: this.config.cashboxCapacity, present: true, notes: [] },
      jammed: false,
      powered: true,
    };
  }

  /** Writes the state when it changed since the last write (atomic). */
  persist(): void {
    if (!this.file) return;
    const text = JSON.stringify(this.state);
    if (text === this.written) return;
    this.file.write(this.state);
    this.written = text;
  }

  channelOf(n: SimNote): number {
    if (n.currency !== this.config.currency) return 0;
    return this.config.channels.indexOf(n.denomination) + 1;
  }

  stackerFull(): boolean {
    return this.state.cashbox.notes.length >= this.state.cashbox.capacity;
  }

  /** Whether the validator may pull the next note in. */
  canAccept(): boolean {
    const s = this.state;
    return s.powered && !s.jammed && s.cashbox.present && !this.stackerFull() && s.head === undefined;
  }

  toCashbox(n: SimNote): void {
    this.state.cashbox.notes.push(n);
  }

  recyclerFor(n: SimNote): Recycler | undefined {
    if (n.quality !== 'fit' || this.state.cashboxRoutes.includes(n.denomination)) return undefined;
    return this.state.recyclers.find(
      (r) => r.denomination === n.denomination && r.currency === n.currency && r.notes.length < r.capacity,
    );
  }

  /** The customer takes everything in the bezel. */
  takeReturned(): SimNote[] {
    const taken = this.state.bezel.splice(0);
    this.state.hand.push(...taken);
    return taken;
  }

  insert(notes: readonly SimNote[]): void {
    this.state.feeder.push(...notes);
  }

  /** Notes the device can pay, largest first; undefined when the amount cannot be made. */
  planPayout(amount: number, currency: string): Map<Recycler, number> | undefined {
    let rest = amount;
    const plan = new Map<Recycler, number>();
    const sorted = this.state.recyclers
      .filter((r) => r.currency === currency)
      .sort((a, b) => b.denomination - a.denomination);
    for (const r of sorted) {
      const n = Math.min(Math.floor(rest / r.denomination), r.notes.length);
      if (n > 0) plan.set(r, n);
      rest -= n * r.denomination;
    }
    return rest === 0 ? plan : undefined;
  }

  snapshot(): unknown {
    const s = this.state;
    return {
      feeder: s.feeder.length,
      head: s.head ?? null,
      escrow: s.escrow,
      bezel: s.bezel,
      hand: s.hand,
      recyclers: s.recyclers.map((r) => ({
        denomination: r.denomination,
        currency: r.currency,
        count: r.notes.length,
        capacity: r.capacity,
        serials: r.notes.map((n) => n.serial),
      })),
      cashbox: { count: s.cashbox.notes.length, capacity: s.cashbox.capacity, present: s.cashbox.present },
      jammed: s.jammed,
      powered: s.powered,
    };
  }
}

/** Line faults armed from the developer API, consumed by the simulator's answer path. */
export interface LinkFaults {
  /** Report the next inserted note as a fraud attempt. */
  fraudNext: boolean;
  /** Send one burst of line noise. */
  garbage: boolean;
  /** Leave this many requests unanswered. */
  noAnswer: number;
}

export interface AcceptorControlHooks {
  readonly faults: LinkFaults;
  /** The model's own power-up (key and counter reset, notes back to the bezel). */
  onPowerUp(): void;
  /** The cashbox went back in (eSSP reports it as an event). */
  onCashboxReplaced?(): void;
}

/**
 * The developer actions both acceptor simulators share: the customer's notes,
 * the faults, the engineer's fixes, emptying the cashbox and the power switch. Persists the path and
 * returns the action's answer; unknown actions are refused.
 */
export function applyAcceptorControl(
  path: NotePath,
  action: string,
  body: unknown,
  hooks: AcceptorControlHooks,
): unknown {
  const s = path.state;
  switch (action) {
    case 'insertNotes':
      path.insert(parseBody(AcceptorControlSchemas.insertNotes, body).notes);
      break;
    case 'takeReturnedNotes':
      parseBody(AcceptorControlSchemas.takeReturnedNotes, body);
      path.persist();
      return { notes: path.takeReturned() };
    case 'fault': {
      const f = parseBody(AcceptorControlSchemas.fault, body);
      if (f.kind === 'jam') s.jammed = true;
      else if (f.kind === 'cashboxRemoved') s.cashbox.present = false;
      else if (f.kind === 'stackerFull') s.cashbox.capacity = s.cashbox.notes.length;
      else if (f.kind === 'fraudAttempt') hooks.faults.fraudNext = true;
      else if (f.kind === 'garbage') hooks.faults.garbage = true;
      else if (f.kind === 'noAnswer') hooks.faults.noAnswer = f.count;
      break;
    }
    case 'clear': {
      const { kind } = parseBody(AcceptorControlSchemas.clear, body);
      if (kind === 'jam') s.jammed = false;
      else if (kind === 'cashboxRemoved') {
        s.cashbox.present = true;
        hooks.onCashboxReplaced?.();
      } else s.cashbox.capacity = path.config.cashboxCapacity;
      break;
    }
    case 'emptyCashbox': {
      // The custodian takes the notes out of the cashbox (a replenishment).
      parseBody(AcceptorControlSchemas.emptyCashbox, body);
      const notes = s.cashbox.notes.splice(0);
      path.persist();
      return { notes };
    }
    case 'power': {
      const { on } = parseBody(AcceptorControlSchemas.power, body);
      if (on && !s.powered) hooks.onPowerUp();
      s.powered = on;
      break;
    }
    default:
      throw new SimulatorControlError(`unknown action ${action}`);
  }
  path.persist();
  return undefined;
}
