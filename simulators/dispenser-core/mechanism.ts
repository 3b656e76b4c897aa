import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sleep, type Clock } from '../../drivers/common/clock.js';
import { StateFile } from './state-file.js';
import { formatAmount, hmacHex, parseAmount, parseToken, sameHex, signToken } from './tokens.js';

/**
 * The physical dispenser both simulated models share: cassettes of notes with
 * serial numbers, the stacker (bundle area), the exit (tray or shutter), the
 * reject bin, the customer's hand, and the firmware's end-to-end token check
 * and transaction record. Every change is written to the state file before the
 * next step, so a killed simulator restarts with exactly the notes where they
 * were. The wire protocols (LCDM-4000, F56) sit on top and map its results to
 * their own codes.
 */

export interface Note {
  readonly cassette: number;
  readonly serial: string;
  readonly value: number;
  readonly currency: string;
}

/** Why a note went to the reject bin: D double, L too long, S too short. */
export type RejectReason = 'D' | 'L' | 'S';
/** D dispensing, S stacked, P presented, T taken, R retracted, J rejected. */
export type Stage = 'D' | 'S' | 'P' | 'T' | 'R' | 'J';
export type JamSensor = 'CHK' | 'DVT' | 'EJT';

export type MechanismError =
  | 'pickFailure'
  | `jam${JamSensor}`
  | 'itemsLeft'
  | 'tooManyNotes'
  | 'tooManyRejects'
  | 'cassetteMissing'
  | 'badParameter'
  | 'noNonce'
  | 'badFormat'
  | 'badNonce'
  | 'badHmac'
  | 'notAuthorised'
  | 'noItems'
  | 'rejectBinFull'
  | 'noDeviceKey';

export interface Cassette {
  present: boolean;
  readonly value: number;
  readonly currency: string;
  /** Next to pick last. */
  notes: Note[];
}

export interface TransactionRecord {
  dispenseId: number;
  stage: Stage;
  interrupted: boolean;
  requested: number[];
  picked: number[];
  rejected: number[];
  reasons: string[];
  notes: { cassette: number; serial: string }[];
  presented: number;
  retracted: number;
  token: string | null;
  startedAt: number;
  updatedAt: number;
}

/** The last motor operation, for the LCDM LAST STATUS command. */
export interface LastOperation {
  operation: 'dispense' | 'purge' | 'retract' | 'present';
  error: MechanismError | null;
  exit: number[];
  rejected: number[];
}

export interface MechanismState {
  version: 1;
  cassettes: Cassette[];
  stacker: Note[];
  exit: Note[];
  rejectBin: Note[];
  rejectCapacity: number;
  /** Contents survived a power cut mid-motion: the firmware cannot vouch for them. */
  stackerUnknown: boolean;
  jammed: JamSensor | null;
  shutterOpen: boolean;
  dispenseCounter: number;
  serialCounter: number;
  last: TransactionRecord | null;
  lastOperation: LastOperation | null;
  nonce: string | null;
  /** The token that claimed the current nonce and how much it has paid out. */
  tokenUse: { hmac: string; spent: number } | null;
}

export interface CassetteLoad {
  readonly value: number;
  readonly currency: string;
  readonly count: number;
  /** Two capital letters; serials are prefix + 8 digits, e.g. AB00000001. */
  readonly serialPrefix: string;
}

export interface MechanismConfig {
  readonly clock: Clock;
  /** Folder for `<name>.json`; without it nothing survives the process. */
  readonly stateDir?: string;
  readonly name: string;
  /** Used only when no state file exists yet. */
  readonly cassettes: readonly CassetteLoad[];
  readonly rejectCapacity?: number;
  /** A cassette with this many notes or fewer reports near-end. Default 5. */
  readonly nearEnd?: number;
  /** Time to pick one note. Default 10 ms. */
  readonly pickMs?: number;
  /** The shared host key (XFSAuthenticateHost) and the device key for present-status tokens, hex. */
  readonly endToEnd?: { readonly hostKey: string; readonly deviceKey?: string; readonly required?: boolean };
  /** Most notes per dispense (LCDM: 100 including rejects). */
  readonly maxNotes?: number;
  /** Most rejects per dispense (LCDM error 0x0D: 10). */
  readonly maxRejects?: number;
}

/** Faults armed by the developer API; they hit the next dispense once. */
export interface ArmedFaults {
  pickupError: boolean;
  jam: JamSensor | null;
  rejects: RejectReason[];
}

export interface DispenseOutcome {
  readonly error: MechanismError | null;
  readonly exit: number[];
  readonly rejected: number[];
}

export class MechanismRefusal extends Error {
  constructor(readonly code: MechanismError) {
    super(code);
  }
}

export class DispenserMechanism {
  readonly faults: ArmedFaults = { pickupError: false, jam: null, rejects: [] };
  private state: MechanismState;
  private readonly file: StateFile<MechanismState> | undefined;
  private readonly clock: Clock;
  private readonly hostKey: Buffer | undefined;
  private readonly deviceKey: Buffer | undefined;
  /** Power is off: the pick loop stops where it is, no state changes any more. */
  private halted = false;

  constructor(private readonly config: MechanismConfig) {
    this.clock = config.clock;
    this.file = config.stateDir === undefined ? undefined : new StateFile(join(config.stateDir, `${config.name}.json`));
    this.hostKey = config.endToEnd ? Buffer.from(config.endToEnd.hostKey, 'hex') : undefined;
    this.deviceKey = config.endToEnd?.deviceKey ? Buffer.from(config.endToEnd.deviceKey, 'hex') : undefined;
    this.state = this.file?.read() ?? this.freshState();
    this.powerUp();
  }

  get snapshot(): Readonly<MechanismState> {
    return this.state;
  }

  get cassetteCount(): number {
    return this.state.cassettes.length;
  }

  /** Power returns: the nonce is gone, a dispense that was running is marked interrupted. */
  powerUp(): void {
    this.halted = false;
    const s = this.state;
    s.nonce = null;
    s.tokenUse = null;
    if (s.last?.stage === 'D') {
      s.last.interrupted = true;
      s.stackerUnknown = s.stacker.length > 0;
    }
    this.save();
  }

  /** Power fails: motion stops mid-note, the state on disk is what survives. */
  halt(): void {
    this.halted = true;
  }

  level(cassette: number): 'ok' | 'nearEnd' | 'empty' {
    const n = this.state.cassettes[cassette]?.notes.length ?? 0;
    return n === 0 ? 'empty' : n <= (this.config.nearEnd ?? 5) ? 'nearEnd' : 'ok';
  }

  get rejectFull(): boolean {
    return this.state.rejectBin.length >= this.state.rejectCapacity;
  }

  // ---- firmware commands ----

  /** Picks note by note into the stacker, saving after each one. */
  async dispense(counts: readonly number[], token: string | undefined): Promise<DispenseOutcome> {
    const s = this.state;
    const zeros = s.cassettes.map(() => 0);
    const refused = (error: MechanismError): DispenseOutcome => {
      s.lastOperation = { operation: 'dispense', error, exit: zeros, rejected: zeros };
      this.save();
      return { error, exit: zeros, rejected: zeros };
    };
    if (counts.length !== s.cassettes.length || counts.every((n) => n === 0)) return refused('badParameter');
    if (s.jammed) return refused(`jam${s.jammed}`);
    if (s.stacker.length > 0 || s.exit.length > 0) return refused('itemsLeft');
    if (counts.reduce((a, b) => a + b, 0) > (this.config.maxNotes ?? 100)) return refused('tooManyNotes');
    if (counts.some((n, i) => n > 0 && !s.cassettes[i]?.present)) return refused('cassetteMissing');
    if (this.rejectFull) return refused('rejectBinFull');
    const amount = counts.reduce((sum, n, i) => sum + n * (s.cassettes[i]?.value ?? 0), 0);
    const currency = s.cassettes[counts.findIndex((n) => n > 0)]?.currency ?? '';
    const authorised = this.authorise(token, amount, currency);
    if (typeof authorised !== 'object') return refused(authorised);

    const now = this.now();
    const record: TransactionRecord = {
      dispenseId: ++s.dispenseCounter,
      stage: 'D',
      interrupted: false,
      requested: [...counts],
      picked: [...zeros],
      rejected: [...zeros],
      reasons: [],
      notes: [],
      presented: 0,
      retracted: 0,
      token: authorised.hmac,
      startedAt: now,
      updatedAt: now,
    };
    s.last = record;
    s.lastOperation = { operation: 'dispense', error: null, exit: [...zeros], rejected: [...zeros] };
    if (authorised.hmac !== null) s.tokenUse = { hmac: authorised.hmac, spent: s.tokenUse?.spent ?? 0 };
    this.save();

    const error = await this.pickAll(counts, record);
    if (this.halted) return { error, exit: zeros, rejected: zeros };
    record.stage = 'S';
    record.interrupted = error !== null;
    record.updatedAt = this.now();
    const outcome = { error, exit: record.picked.map((p, i) => p - (record.rejected[i] ?? 0)), rejected: [...record.rejected] };
    s.lastOperation = { operation: 'dispense', ...outcome };
    this.save();
    return outcome;
  }

  /** Stacker → exit (tray or behind the opened shutter). */
  present(): number {
    const s = this.state;
    if (s.jammed) throw new MechanismRefusal(`jam${s.jammed}`);
    if (s.stacker.length === 0) throw new MechanismRefusal('noItems');
    const notes = s.stacker.splice(0);
    s.exit.push(...notes);
    s.stackerUnknown = false;
    s.shutterOpen = true;
    this.touch({ stage: 'P', presented: notes.length });
    s.lastOperation = { operation: 'present', error: null, exit: this.perCassette(notes), rejected: s.cassettes.map(() => 0) };
    this.save();
    return notes.length;
  }

  /** Exit → reject bin (the customer did not take the notes). */
  retract(): number {
    const s = this.state;
    if (s.exit.length === 0) throw new MechanismRefusal('noItems');
    if (s.rejectBin.length + s.exit.length > s.rejectCapacity) throw new MechanismRefusal('rejectBinFull');
    const notes = s.exit.splice(0);
    s.rejectBin.push(...notes);
    s.shutterOpen = false;
    this.touch({ stage: 'R', retracted: (s.last?.retracted ?? 0) + notes.length });
    s.lastOperation = { operation: 'retract', error: null, exit: s.cassettes.map(() => 0), rejected: this.perCassette(notes) };
    this.save();
    return notes.length;
  }

  /** Stacker (and a jam) → reject bin; returns the notes moved per source cassette. */
  purge(): number[] {
    const s = this.state;
    const notes = s.stacker.splice(0);
    if (s.rejectBin.length + notes.length > s.rejectCapacity) {
      s.stacker.push(...notes);
      throw new MechanismRefusal('rejectBinFull');
    }
    s.rejectBin.push(...notes);
    s.jammed = null;
    s.stackerUnknown = false;
    if (notes.length > 0 && (s.last?.stage === 'S' || s.last?.stage === 'D')) this.touch({ stage: 'J' });
    const moved = this.perCassette(notes);
    s.lastOperation = { operation: 'purge', error: null, exit: s.cassettes.map(() => 0), rejected: moved };
    this.save();
    return moved;
  }

  issueNonce(): string {
    if (!this.hostKey) throw new MechanismRefusal('badParameter');
    this.state.nonce = randomBytes(16).toString('hex').toUpperCase();
    this.state.tokenUse = null;
    this.save();
    return this.state.nonce;
  }

  clearNonce(): void {
    this.state.nonce = null;
    this.state.tokenUse = null;
    this.save();
  }

  /** The present-status token, signed with the device key (XFS4IoT GetPresentStatus). */
  presentStatusToken(nonce: string): string {
    if (!this.deviceKey) throw new MechanismRefusal('noDeviceKey');
    const last = this.state.last;
    const value = (notes: readonly { cassette: number }[]): number =>
      notes.reduce((sum, n) => sum + (this.state.cassettes[n.cassette]?.value ?? 0), 0);
    const currency = this.state.cassettes[last?.requested.findIndex((n) => n > 0) ?? 0]?.currency ?? '';
    const dispensed = value(last?.notes ?? []);
    const presented = last && last.presented > 0 ? dispensed : 0;
    const yesNo = (b: boolean): string => (b ? 'YES' : 'NO');
    return signToken(
      nonce,
      [
        ['DISPENSEID', last?.token ?? 'NONE'],
        ['DISPENSED1', formatAmount(dispensed, currency)],
        ['PRESENTED1', yesNo(presented > 0)],
        ['PRESENTEDAMOUNT1', formatAmount(presented, currency)],
        ['RETRACTED1', yesNo((last?.retracted ?? 0) > 0)],
      ],
      this.deviceKey,
    );
  }

  /** The record as the vendor-extension text (see drivers' dispenser-core-record for the format). */
  recordText(): string {
    const r = this.state.last;
    if (!r) return '';
    return [
      `ID=${r.dispenseId}`,
      `ST=${r.stage}`,
      `INT=${r.interrupted ? 1 : 0}`,
      `REQ=${r.requested.join(',')}`,
      `PICK=${r.picked.join(',')}`,
      `REJ=${r.rejected.join(',')}`,
      `RR=${r.reasons.join(',')}`,
      `NOTES=${r.notes.map((n) => `${n.cassette + 1}${n.serial}`).join(',')}`,
      `PRES=${r.presented}`,
      `RET=${r.retracted}`,
      `TOK=${r.token ?? '-'}`,
      `T0=${r.startedAt}`,
      `T1=${r.updatedAt}`,
    ].join(';');
  }

  // ---- the customer and the engineer ----

  /** The customer takes the notes in the exit; the shutter closes behind them. */
  takeNotes(): number {
    const s = this.state;
    if (s.exit.length === 0) return 0;
    const notes = s.exit.splice(0);
    s.shutterOpen = false;
    this.touch({ stage: 'T' });
    this.save();
    return notes.length;
  }

  setCassettePresent(cassette: number, present: boolean): void {
    const unit = this.cassette(cassette);
    unit.present = present;
    this.save();
  }

  /** The engineer loads a cassette with fresh notes (serials continue from the counter). */
  loadCassette(cassette: number, value: number, currency: string, count: number): void {
    const s = this.state;
    const prefix = this.config.cassettes[cassette]?.serialPrefix ?? 'ZZ';
    s.cassettes[cassette] = { present: true, value, currency, notes: this.mint(prefix, value, currency, cassette, count) };
    this.save();
  }

  /** Fills the reject bin to capacity with waste paper, or empties it. */
  setRejectBinFull(full: boolean): void {
    const s = this.state;
    if (!full) s.rejectBin = [];
    else {
      while (s.rejectBin.length < s.rejectCapacity) s.rejectBin.push({ cassette: -1, serial: '', value: 0, currency: '' });
    }
    this.save();
  }

  // ---- internals ----

  private async pickAll(counts: readonly number[], record: TransactionRecord): Promise<MechanismError | null> {
    const s = this.state;
    const pickMs = this.config.pickMs ?? 10;
    let rejects = 0;
    for (let c = 0; c < counts.length; c++) {
      let need = counts[c] ?? 0;
      const unit = s.cassettes[c] as Cassette;
      while (need > 0) {
        if (pickMs > 0) await sleep(this.clock, pickMs);
        if (this.halted) return null;
        if (this.faults.pickupError || unit.notes.length === 0) {
          this.faults.pickupError = false;
          return 'pickFailure';
        }
        const note = unit.notes.pop() as Note;
        record.picked[c] = (record.picked[c] ?? 0) + 1;
        const reason = this.faults.rejects.shift();
        if (reason !== undefined) {
          if (this.rejectFull) {
            s.stacker.push(note);
            record.notes.push({ cassette: c, serial: note.serial });
            this.touch({});
            this.save();
            return 'rejectBinFull';
          }
          s.rejectBin.push(note);
          record.rejected[c] = (record.rejected[c] ?? 0) + 1;
          record.reasons.push(`${c + 1}${reason}`);
          rejects += 1;
          this.touch({});
          this.save();
          if (rejects > (this.config.maxRejects ?? 10)) return 'tooManyRejects';
          continue;
        }
        s.stacker.push(note);
        record.notes.push({ cassette: c, serial: note.serial });
        if (s.tokenUse) s.tokenUse.spent += note.value;
        need -= 1;
        const jam = this.faults.jam;
        this.touch({});
        if (jam) {
          this.faults.jam = null;
          s.jammed = jam;
          this.save();
          return `jam${jam}`;
        }
        this.save();
      }
    }
    return null;
  }

  /** Checks a token as the firmware must: format, nonce, HMAC, claim, cumulative amount. */
  private authorise(token: string | undefined, amount: number, currency: string): { hmac: string | null } | MechanismError {
    const required = this.hostKey !== undefined && (this.config.endToEnd?.required ?? true);
    if (token === undefined) return required ? 'notAuthorised' : { hmac: null };
    if (!this.hostKey) return 'badFormat';
    const parsed = parseToken(token);
    const signed = parseAmount(parsed?.fields.get('DISPENSE1') ?? '');
    if (!parsed || !signed) return 'badFormat';
    const nonce = this.state.nonce;
    if (nonce === null) return 'noNonce';
    if (!sameHex(parsed.nonce, nonce)) return 'badNonce';
    if (!sameHex(parsed.hmac, hmacHex(this.hostKey, parsed.signed))) return 'badHmac';
    const use = this.state.tokenUse;
    if (use && use.hmac !== parsed.hmac) return 'notAuthorised';
    if (signed.currency !== currency || (use?.spent ?? 0) + amount > signed.amount) return 'notAuthorised';
    return { hmac: parsed.hmac };
  }

  /** Whole milliseconds: the record carries integers. */
  private now(): number {
    return Math.round(this.clock.now());
  }

  /** Updates the record; during a dispense the LAST STATUS counters follow every note. */
  private touch(change: Partial<TransactionRecord>): void {
    const last = this.state.last;
    if (!last) return;
    Object.assign(last, change, { updatedAt: this.now() });
    if (last.stage === 'D' && this.state.lastOperation?.operation === 'dispense') {
      this.state.lastOperation.exit = last.picked.map((p, i) => p - (last.rejected[i] ?? 0));
      this.state.lastOperation.rejected = [...last.rejected];
    }
  }

  private perCassette(notes: readonly Note[]): number[] {
    const counts = this.state.cassettes.map(() => 0);
    for (const note of notes) if (note.cassette >= 0) counts[note.cassette] = (counts[note.cassette] ?? 0) + 1;
    return counts;
  }

  private cassette(index: number): Cassette {
    const unit = this.state.cassettes[index];
    if (!unit) throw new RangeError(`no cassette ${index + 1}`);
    return unit;
  }

  private mint(prefix: string, value: number, currency: string, cassette: number, count: number): Note[] {
    return Array.from({ length: count }, () => {
      this.state.serialCounter += 1;
      return { cassette, serial: `${prefix}${String(this.state.serialCounter).padStart(8, '0')}`, value, currency };
    });
  }

  private freshState(): MechanismState {
    this.state = {
      version: 1,
      cassettes: [],
      stacker: [],
      exit: [],
      rejectBin: [],
      rejectCapacity: this.config.rejectCapacity ?? 200,
      stackerUnknown: false,
      jammed: null,
      shutterOpen: false,
      dispenseCounter: 0,
      serialCounter: 0,
      last: null,
      lastOperation: null,
      nonce: null,
      tokenUse: null,
    };
    this.state.cassettes = this.config.cassettes.map((load, i) => ({
      present: true,
      value: load.value,
      currency: load.currency,
      notes: this.mint(load.serialPrefix, load.value, load.currency, i, load.count),
    }));
    return this.state;
  }

  private save(): void {
    this.file?.write(this.state);
  }
}
