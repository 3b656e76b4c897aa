import { CanceledError, DeviceError } from '../common/completion.js';
import { refuse } from '../common/memory-device.js';
import type { CashModuleState, InputPosition, UnitCounts } from '../cash-dispenser/contract.js';
import { MemoryCashDevice } from '../cash-dispenser/memory-cash-management.js';
import type { MemoryCashDeviceOptions, Slot } from '../cash-dispenser/memory-cash-management.js';
import type { CashItem, CashUnit, Money } from '../storage/contract.js';
import { hasRoom } from '../storage/accounting.js';
import type {
  BanknoteType,
  CashAcceptorCapabilities,
  CashAcceptorDevice,
  CashAcceptorErrorCode,
  CashAcceptorEvents,
  CashAcceptorStatus,
  CashInEndResult,
  CashInResult,
  CashInRollbackResult,
  CashInStartRequest,
  CashInState,
  CashInStatus,
  ClassifiedNote,
  ConfigureNoteTypesRequest,
  InputRefuseReason,
  NoteCount,
  StoredNote,
} from './contract.js';

/** Acceptor-only faults, on top of shutterJam and itemsTakenDuringRetract. */
export type CashAcceptorFault =
  /** The validator fails on the next cashIn: hardwareError, `banknoteReader: inoperative` until reset. */
  'readerFailure';

export interface MemoryCashAcceptorOptions extends MemoryCashDeviceOptions {
  /** The note types the validator knows, all enabled at start; ids are `type<CUR><value>`. */
  readonly noteTypes: readonly CashItem[];
  /** Escrow capacity in notes; default 200. */
  readonly escrowCapacity?: number;
  /** Notes the feeder takes per sub-bunch; default 100. */
  readonly bunchSize?: number;
  /** Default: all three retained. */
  readonly retainAction?: CashAcceptorCapabilities['retainAction'];
}

interface Transaction {
  readonly useRecycleUnits: boolean;
  readonly input: Slot<ClassifiedNote>;
  readonly output: Slot<ClassifiedNote>;
  readonly itemsLimit: number;
  readonly amountLimit: Money | undefined;
  state: CashInState;
  /** Everything the escrow took in this transaction, for noteNumberList. */
  accepted: ClassifiedNote[];
  refused: number;
}

const RETAINABLE = ['counterfeit', 'suspect', 'inked'] as const;
type Retainable = (typeof RETAINABLE)[number];

/**
 * In-memory XFS4IoT cash acceptor with escrow over a MemoryStorage. Tests play
 * the customer with `insertItems` and `takeItems`, and decide each note's
 * classification and serial, as the validator would report them.
 */
export class MemoryCashAcceptor
  extends MemoryCashDevice<CashAcceptorStatus, CashAcceptorEvents, ClassifiedNote, CashAcceptorFault>
  implements CashAcceptorDevice
{
  readonly deviceClass = 'cashAcceptor' as const;
  private readonly noteTypes: Map<string, BanknoteType>;
  private readonly escrowCapacity: number;
  private readonly bunchSize: number;
  private readonly retainAction: CashAcceptorCapabilities['retainAction'];
  private escrow: ClassifiedNote[] = [];
  private readerOk = true;
  private transaction: Transaction | undefined;
  private wakeCashIn: (() => void) | undefined;

  constructor(options: MemoryCashAcceptorOptions) {
    super(
      options.id ?? 'cashAcceptor',
      {
        device: 'offline',
        devicePosition: 'inPosition',
        acceptor: 'unknown',
        escrow: 'empty',
        banknoteReader: 'ok',
        positions: [],
      },
      options,
      ['inDefault', 'outDefault'],
      ['retract', 'reject', 'transport'],
    );
    this.noteTypes = new Map(
      options.noteTypes.map((item) => [typeId(item), { id: typeId(item), item, enabled: true }]),
    );
    this.escrowCapacity = options.escrowCapacity ?? 200;
    this.bunchSize = options.bunchSize ?? 100;
    this.retainAction = options.retainAction ?? { counterfeit: true, suspect: true, inked: true };
    this.refresh();
  }

  getCapabilities(): CashAcceptorCapabilities {
    return {
      maxCashInItems: this.escrowCapacity,
      shutterControl: this.shutterControl,
      retractAreas: this.retractAreas,
      inputPositions: ['inDefault'],
      outputPositions: ['outDefault'],
      retainAction: this.retainAction,
    };
  }

  // ---- CashAcceptorCommands ----

  getBankNoteTypes = (_request: void, signal: AbortSignal) =>
    this.run<readonly BanknoteType[], CashAcceptorErrorCode>(signal, () => [...this.noteTypes.values()]);

  configureNoteTypes = (request: ConfigureNoteTypesRequest, signal: AbortSignal) =>
    this.run<void, CashAcceptorErrorCode>(signal, () => {
      this.requireNoExchange();
      if (this.active()) refuse('cashInActive', 'a cash-in transaction is active');
      const changes = Object.entries(request.items);
      const unknown = changes.find(([id]) => !this.noteTypes.has(id));
      if (unknown) throw new DeviceError('invalidData', `unknown note type ${unknown[0]}`);
      for (const [id, enabled] of changes) {
        const type = this.noteTypes.get(id);
        if (type) this.noteTypes.set(id, { ...type, enabled });
      }
    });

  cashInStart = (request: CashInStartRequest, signal: AbortSignal) =>
    this.run<void, CashAcceptorErrorCode>(signal, () => {
      this.requireNoExchange();
      if (this.active()) refuse('cashInActive', 'a cash-in transaction is already active');
      const input = this.slot(request.inputPosition ?? 'inDefault');
      const output = this.slot(request.outputPosition ?? 'outDefault');
      const limit = request.totalItemsLimit ?? 0;
      if (!Number.isInteger(limit) || limit < 0) throw new DeviceError('invalidData', 'totalItemsLimit must be ≥ 0');
      this.transaction = {
        useRecycleUnits: request.useRecycleUnits ?? true,
        input,
        output,
        itemsLimit: limit === 0 ? this.escrowCapacity : Math.min(limit, this.escrowCapacity),
        amountLimit: request.amountLimit,
        state: 'active',
        accepted: [],
        refused: 0,
      };
    });

  cashIn = (_request: void, signal: AbortSignal) =>
    this.run<CashInResult, CashAcceptorErrorCode>(signal, async () => {
      const txn = this.requireActive();
      if (txn.output.items.length > 0) refuse('positionNotEmpty', 'refused notes wait at the output');
      if (this.escrow.length >= txn.itemsLimit) refuse('tooManyItems', 'the escrow is full');
      if (!this.readerOk || this.faults.take('readerFailure')) {
        this.readerOk = false;
        this.refresh();
        throw new DeviceError('hardwareError', 'the note validator failed');
      }
      if (txn.input.items.length === 0) await this.waitForItems(txn.input, signal);
      if (this.shutterControl) this.setShutter(txn.input, 'closed');
      const result = this.validate(txn, txn.input.items.splice(0));
      this.refresh();
      return result;
    });

  cashInEnd = (_request: void, signal: AbortSignal) =>
    this.run<CashInEndResult, CashAcceptorErrorCode>(signal, () => {
      const txn = this.requireSettleable();
      const stored = this.route(this.escrow, txn.useRecycleUnits);
      this.commit(stored);
      this.finish(txn, 'ok');
      return { credited: credited(stored), stored: countsByUnit(stored), notes: stored };
    });

  cashInRollback = (_request: void, signal: AbortSignal) =>
    this.run<CashInRollbackResult, CashAcceptorErrorCode>(signal, () => {
      const txn = this.requireSettleable();
      const returned = this.escrow.filter((n) => !this.retained(n));
      // Plan first, then present (which may jam), then store: a failure moves nothing.
      const retained = this.route(
        this.escrow.filter((n) => this.retained(n)),
        false,
      );
      if (returned.length > 0) this.presentAt(txn.output, returned);
      this.commit(retained);
      this.finish(txn, 'rollback');
      return { returned, retained };
    });

  getCashInStatus = (_request: void, signal: AbortSignal) =>
    this.run<CashInStatus, CashAcceptorErrorCode>(signal, () => ({
      status: this.transaction?.state ?? 'unknown',
      numOfRefused: this.transaction?.refused ?? 0,
      noteNumberList: noteNumbers(this.transaction?.accepted ?? []),
    }));

  // ---- test controls ----

  /**
   * The customer puts notes into an open input slot (itemsInserted). Each note
   * carries what the validator will report: classification, kind, serial.
   */
  insertItems(notes: readonly ClassifiedNote[], position: InputPosition = 'inDefault'): void {
    const slot = this.slot(position);
    if (slot.shutter !== 'open') throw new Error(`the ${position} shutter is ${slot.shutter}`);
    slot.items.push(...notes);
    this.hub.emit('itemsInserted', { position });
    this.refresh();
    this.wakeCashIn?.();
  }

  escrowContents(): readonly ClassifiedNote[] {
    return [...this.escrow];
  }

  // ---- MemoryCashDevice hooks ----

  protected refresh(): void {
    this.patchStatus({
      acceptor: this.moduleState(),
      escrow: this.escrow.length === 0 ? 'empty' : this.escrow.length >= this.escrowCapacity ? 'full' : 'notEmpty',
      banknoteReader: this.readerOk ? 'ok' : 'inoperative',
      positions: this.positionsView(),
    });
  }

  protected toStacker(notes: ClassifiedNote[]): void {
    this.escrow.push(...notes);
  }

  protected internalItems(): number {
    return this.escrow.length;
  }

  /** Escrow → `unitId` on reset; the validator is reinitialised and the transaction ends. */
  protected resetInternal(unitId: string): ClassifiedNote[] {
    const notes = this.escrow;
    this.escrow = [];
    this.store(unitId, notes, { retracted: notes.length });
    this.readerOk = true;
    if (this.transaction?.state === 'active') this.finish(this.transaction, 'reset');
    this.refresh();
    return notes;
  }

  protected afterTaken(): void {
    // Nothing to settle: returned notes were never counted into a unit.
  }

  /** A retract during a cash-in takes the escrow along and ends the transaction. */
  protected override retractable(slot: Slot<ClassifiedNote>): ClassifiedNote[] {
    return [...super.retractable(slot), ...(this.active() ? this.escrow : [])];
  }

  protected afterRetract(): void {
    if (this.transaction?.state !== 'active') return;
    this.escrow = [];
    this.finish(this.transaction, 'retract');
  }

  // ---- internals ----

  private active(): boolean {
    return this.transaction?.state === 'active';
  }

  private requireActive(): Transaction {
    const txn = this.transaction;
    if (txn?.state !== 'active') refuse('noCashInActive', 'no cash-in transaction is active');
    return txn;
  }

  private requireSettleable(): Transaction {
    const txn = this.requireActive();
    if (this.escrow.length === 0) refuse('noItems', 'the escrow is empty');
    if (txn.output.items.length > 0) refuse('positionNotEmpty', 'refused notes wait at the output');
    return txn;
  }

  private finish(txn: Transaction, state: CashInState): void {
    txn.state = state;
    this.escrow = [];
    this.refresh();
  }

  /** Opens the input (insertItems) and waits for the customer or the signal. */
  private async waitForItems(input: Slot<ClassifiedNote>, signal: AbortSignal): Promise<void> {
    if (this.shutterControl) this.openSlot(input);
    else if (input.shutter !== 'open') refuse('shutterNotOpen', 'open the input shutter first');
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new CanceledError('cashIn canceled while waiting for notes'));
        signal.addEventListener('abort', onAbort, { once: true });
        this.wakeCashIn = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        // Announced only once listening, so a customer who reacts at once is not missed.
        this.hub.emit('insertItems', { position: input.position as InputPosition });
      });
    } catch (err) {
      if (this.shutterControl) this.setShutter(input, 'closed');
      throw err;
    } finally {
      this.wakeCashIn = undefined;
    }
  }

  /** Validates inserted notes in sub-bunches: escrow or back to the customer. */
  private validate(txn: Transaction, inserted: readonly ClassifiedNote[]): CashInResult {
    const items: ClassifiedNote[] = [];
    const returned: ClassifiedNote[] = [];
    const reasons = new Map<InputRefuseReason, number>();
    const bunches = Math.ceil(inserted.length / this.bunchSize);
    for (let b = 0; b < bunches; b++) {
      const bunch: ClassifiedNote[] = [];
      for (const note of inserted.slice(b * this.bunchSize, (b + 1) * this.bunchSize)) {
        const reason = this.refusal(txn, note);
        if (reason) {
          returned.push(note);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        } else {
          this.escrow.push(note);
          txn.accepted.push(note);
          bunch.push(note);
        }
      }
      items.push(...bunch);
      if (bunches > 1) this.hub.emit('subCashIn', { items: bunch });
    }
    for (const [reason, count] of reasons) this.hub.emit('inputRefuse', { reason, count });
    txn.refused += returned.length;
    if (returned.length > 0) this.presentAt(txn.output, returned);
    return { items, refused: returned.length };
  }

  private refusal(txn: Transaction, note: ClassifiedNote): InputRefuseReason | undefined {
    if (note.classification === 'unrecognized' || !this.noteTypes.get(typeId(note))?.enabled) return 'invalidBill';
    if (isRetainable(note.classification) && !this.retainAction[note.classification]) {
      return note.classification === 'counterfeit' ? 'counterfeit' : 'invalidBill';
    }
    if (this.escrow.length >= this.escrowCapacity) return 'stackerFull';
    if (this.escrow.length >= txn.itemsLimit) return 'limitOverTotalItems';
    const limit = txn.amountLimit;
    if (limit && isCredited(note) && note.currency === limit.currency) {
      const sofar = this.escrow.filter((n) => isCredited(n) && n.currency === limit.currency);
      if (sofar.reduce((s, n) => s + n.value, 0) + note.value > limit.amount) return 'limitOverAmount';
    }
    return undefined;
  }

  private retained(note: ClassifiedNote): boolean {
    return isRetainable(note.classification) && this.retainAction[note.classification];
  }

  /**
   * Chooses a unit for every note without moving any: fit notes to a recycle
   * unit of their kind (when allowed), then cash-in units; retained levels to a
   * retract unit, then cash-in units. Fails with cashUnitError if one has no room.
   */
  private route(notes: readonly ClassifiedNote[], useRecycleUnits: boolean): StoredNote[] {
    const planned = new Map<string, number>();
    const units = this.storage.cashUnits().filter((u) => u.status === 'ok' && !u.configuration.appLockIn);
    const has = (u: CashUnit, type: 'recycle' | 'cashIn' | 'retract'): boolean => u.configuration.types.includes(type);
    return notes.map((note) => {
      const takes = (u: CashUnit): boolean => accepts(u, note) && hasRoom(u, (planned.get(u.id) ?? 0) + 1);
      const order = this.retained(note)
        ? [units.filter((u) => has(u, 'retract')), units.filter((u) => has(u, 'cashIn'))]
        : [
            note.classification === 'fit' && useRecycleUnits ? units.filter((u) => has(u, 'recycle')) : [],
            units.filter((u) => has(u, 'cashIn')),
          ];
      const unit = order.flat().find(takes);
      if (!unit) {
        const blocked = order.flat().find((u) => accepts(u, note));
        if (blocked) this.storage.reportFailure(blocked.id, 'full');
        refuse('cashUnitError', `no unit can take a ${note.value} ${note.currency} note`);
      }
      planned.set(unit.id, (planned.get(unit.id) ?? 0) + 1);
      return { ...note, unitId: unit.id };
    });
  }

  private commit(notes: readonly StoredNote[]): void {
    for (const [unitId, count] of Object.entries(countsByUnit(notes))) {
      this.storage.storeNotes(
        unitId,
        notes.filter((n) => n.unitId === unitId),
      );
      this.storage.applyCounts([{ unitId, delta: { in: { deposited: count } } }]);
    }
  }

  /** `stop` when the validator is down or no unit takes deposits; `attention` when a unit fills up. */
  private moduleState(): CashModuleState {
    const deposit = this.storage
      .cashUnits()
      .filter((u) => u.configuration.types.includes('cashIn') || u.configuration.types.includes('recycle'));
    const usable = deposit.filter(
      (u) => u.status === 'ok' && !u.configuration.appLockIn && u.replenishmentStatus !== 'full',
    );
    if (!this.readerOk || usable.length === 0) return 'stop';
    return usable.length < deposit.length || usable.some((u) => u.replenishmentStatus === 'high') ? 'attention' : 'ok';
  }
}

function typeId(item: CashItem): string {
  return `type${item.currency}${item.value}`;
}

function isRetainable(level: ClassifiedNote['classification']): level is Retainable {
  return (RETAINABLE as readonly string[]).includes(level);
}

function isCredited(note: ClassifiedNote): boolean {
  return note.classification === 'fit' || note.classification === 'unfit';
}

/** A unit takes a note when its currency and value are its own or open (`''`, 0). */
function accepts(unit: CashUnit, note: ClassifiedNote): boolean {
  const { currency, value } = unit.configuration;
  return (currency === '' || currency === note.currency) && (value === 0 || value === note.value);
}

function countsByUnit(notes: readonly StoredNote[]): UnitCounts {
  const counts: Record<string, number> = {};
  for (const note of notes) counts[note.unitId] = (counts[note.unitId] ?? 0) + 1;
  return counts;
}

function credited(notes: readonly ClassifiedNote[]): Money[] {
  const totals = new Map<string, number>();
  for (const note of notes.filter(isCredited)) totals.set(note.currency, (totals.get(note.currency) ?? 0) + note.value);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

function noteNumbers(notes: readonly ClassifiedNote[]): NoteCount[] {
  const counts = new Map<string, NoteCount>();
  for (const { currency, value, classification } of notes) {
    const key = `${currency}/${value}/${classification}`;
    const count = (counts.get(key)?.count ?? 0) + 1;
    counts.set(key, { currency, value, classification, count });
  }
  return [...counts.values()];
}
