import { DeviceError } from '../common/completion.js';
import type { Clock } from '../common/clock.js';
import { MemoryDeviceBase, refuse } from '../common/memory-device.js';
import { addCounts, cardUnitLimits, freshCounts, replenishmentStatus, unitCount } from './accounting.js';
import type {
  Banknote,
  CardUnit,
  CardUnitChange,
  CardUnitType,
  CashUnit,
  CashUnitChange,
  CashUnitConfiguration,
  CashUnitCounts,
  CountsDelta,
  SetStorageRequest,
  SetTransactionStateRequest,
  StorageDevice,
  StorageErrorCode,
  StorageEvents,
  StorageFailure,
  StorageSnapshot,
  StorageStatus,
  StorageUnitStatus,
} from './contract.js';

/** A cash unit as set up by a test or simulator. */
export interface MemoryCashUnitSetup {
  readonly id: string;
  readonly position: string;
  /** Unset fields: no currency, value 0, capacity/thresholds/maxRetracts 0 (off), no locks. */
  readonly configuration: Partial<CashUnitConfiguration> & Pick<CashUnitConfiguration, 'types'>;
  /** Notes physically in the unit (last = next to be picked); the initial count is their number. */
  readonly notes?: readonly Banknote[];
  readonly status?: StorageUnitStatus;
}

export interface MemoryCardUnitSetup {
  readonly id: string;
  readonly position: string;
  readonly type: CardUnitType;
  readonly capacity: number;
  readonly threshold: number;
  readonly count?: number;
}

export interface MemoryStorageOptions {
  readonly id?: string;
  /** Stamps the exchange log; storage has no timers of its own. */
  readonly clock: Clock;
  readonly cash?: readonly MemoryCashUnitSetup[];
  readonly card?: readonly MemoryCardUnitSetup[];
}

/** One exchange, for tests and the maintenance journal. */
export interface ExchangeRecord {
  readonly startedAt: number;
  readonly endedAt?: number;
}

/** The counted unit plus what is physically inside, which may disagree with the count. */
interface CashUnitState {
  readonly id: string;
  readonly position: string;
  status: StorageUnitStatus;
  configuration: CashUnitConfiguration;
  counts: CashUnitCounts;
  notes: Banknote[];
}

interface CardUnitState {
  readonly id: string;
  readonly position: string;
  readonly type: CardUnitType;
  status: StorageUnitStatus;
  capacity: number;
  threshold: number;
  initialCount: number;
  count: number;
  retainCount: number;
}

/** A count change for one unit, as reported by a cash device. */
export interface UnitCountChange {
  readonly unitId: string;
  readonly delta: CountsDelta;
}

const DEFAULT_CONFIGURATION: Omit<CashUnitConfiguration, 'types'> = {
  currency: '',
  value: 0,
  capacity: 0,
  lowThreshold: 0,
  highThreshold: 0,
  appLockIn: false,
  appLockOut: false,
  maxRetracts: 0,
};

/**
 * In-memory XFS4IoT Storage. Besides the contract it is the shared cash model
 * for MemoryCashDispenser and MemoryCashAcceptor (as one XFS4IoT service
 * exposes Storage beside the cash interfaces): they move physical notes with
 * takeNotes/storeNotes and report accounting with applyCounts.
 */
export class MemoryStorage
  extends MemoryDeviceBase<StorageStatus, StorageEvents, StorageErrorCode>
  implements StorageDevice
{
  readonly deviceClass = 'storage' as const;
  private readonly clock: Clock;
  private readonly cash = new Map<string, CashUnitState>();
  private readonly card = new Map<string, CardUnitState>();
  private readonly exchanges: ExchangeRecord[] = [];

  constructor(options: MemoryStorageOptions) {
    super(
      { id: options.id ?? 'storage' },
      { device: 'offline', devicePosition: 'inPosition', exchange: 'inactive', transaction: 'inactive' },
    );
    this.clock = options.clock;
    for (const setup of options.cash ?? []) {
      const notes = [...(setup.notes ?? [])];
      this.cash.set(setup.id, {
        id: setup.id,
        position: setup.position,
        status: setup.status ?? 'ok',
        configuration: { ...DEFAULT_CONFIGURATION, ...setup.configuration },
        counts: freshCounts(notes.length),
        notes,
      });
    }
    for (const setup of options.card ?? []) {
      const count = setup.count ?? 0;
      this.card.set(setup.id, { ...setup, status: 'ok', initialCount: count, count, retainCount: 0 });
    }
  }

  // ---- StorageDevice ----

  getStorage = (_request: void, signal: AbortSignal) => this.run<StorageSnapshot>(signal, () => this.snapshot());

  startExchange = (_request: void, signal: AbortSignal) =>
    this.run<StorageSnapshot>(signal, () => {
      const { exchange, transaction } = this.getStatus();
      if (exchange === 'active') refuse('exchangeActive', 'an exchange is already active');
      if (transaction === 'active') refuse('transactionActive', 'a customer transaction is active');
      this.exchanges.push({ startedAt: this.clock.now() });
      this.patchStatus({ exchange: 'active' });
      return this.snapshot();
    });

  setStorage = (request: SetStorageRequest, signal: AbortSignal) =>
    this.run<StorageSnapshot>(signal, () => {
      this.requireExchange();
      const cashChanges = Object.entries(request.cash ?? {});
      const cardChanges = Object.entries(request.card ?? {});
      // Validate everything first so that a bad request changes nothing.
      for (const [id, change] of cashChanges) validateCashChange(this.cashState(id), change);
      for (const [id, change] of cardChanges) validateCardChange(this.cardState(id), change);
      const before = this.levels();
      for (const [id, change] of cashChanges) applyCashChange(this.cashState(id), change);
      for (const [id, change] of cardChanges) applyCardChange(this.cardState(id), change);
      const changed = this.snapshot(
        cashChanges.map(([id]) => id),
        cardChanges.map(([id]) => id),
      );
      this.hub.emit('storageChanged', changed);
      this.emitThresholds(before);
      return changed;
    });

  endExchange = (_request: void, signal: AbortSignal) =>
    this.run<StorageSnapshot>(signal, () => {
      this.requireExchange();
      const last = this.exchanges.pop();
      if (last) this.exchanges.push({ ...last, endedAt: this.clock.now() });
      this.patchStatus({ exchange: 'inactive' });
      const all = this.snapshot();
      this.hub.emit('storageChanged', all);
      return all;
    });

  setTransactionState = (request: SetTransactionStateRequest, signal: AbortSignal) =>
    this.run<void>(signal, () => {
      this.patchStatus({ transaction: request.state });
    });

  // ---- Shared cash model (for the in-memory cash devices) ----

  get exchangeActive(): boolean {
    return this.getStatus().exchange === 'active';
  }

  cashUnits(): readonly CashUnit[] {
    return [...this.cash.values()].map(cashView);
  }

  cashUnit(id: string): CashUnit | undefined {
    const state = this.cash.get(id);
    return state && cashView(state);
  }

  /** Removes up to `count` notes physically; fewer come back when the unit runs dry. */
  takeNotes(unitId: string, count: number): Banknote[] {
    const unit = this.cashState(unitId);
    return unit.notes.splice(Math.max(0, unit.notes.length - count)).reverse();
  }

  storeNotes(unitId: string, notes: readonly Banknote[]): void {
    this.cashState(unitId).notes.push(...notes);
  }

  /** Applies a command's count changes as one update: one countsChanged, then threshold events. */
  applyCounts(changes: readonly UnitCountChange[]): void {
    if (changes.length === 0) return;
    const before = this.levels();
    for (const { unitId, delta } of changes) {
      const unit = this.cashState(unitId);
      unit.counts = addCounts(unit.counts, delta);
    }
    this.hub.emit('countsChanged', this.snapshot(unique(changes.map((c) => c.unitId)), []));
    this.emitThresholds(before);
  }

  setUnitStatus(unitId: string, status: StorageUnitStatus): void {
    const unit = this.cashState(unitId);
    if (unit.status === status) return;
    unit.status = status;
    this.hub.emit('storageChanged', this.snapshot([unitId], []));
  }

  /** Solicited StorageErrorEvent, raised by the cash command that hit the problem. */
  reportFailure(unitId: string, failure: StorageFailure): void {
    this.hub.emit('storageError', { unitId, failure });
  }

  /** Counts a card captured by the card reader; false when the unit cannot take it. */
  retainCard(unitId: string): boolean {
    const unit = this.cardState(unitId);
    if (unit.status !== 'ok' || (unit.capacity > 0 && unit.count >= unit.capacity)) return false;
    const before = this.levels();
    unit.count += 1;
    unit.retainCount += 1;
    this.hub.emit('countsChanged', this.snapshot([], [unitId]));
    this.emitThresholds(before);
    return true;
  }

  // ---- Test controls ----

  /** The notes physically in a unit, next to be picked last. */
  notesIn(unitId: string): readonly Banknote[] {
    return [...this.cashState(unitId).notes];
  }

  /** The operator swaps a unit's contents; only while the safe is open for an exchange. */
  loadNotes(unitId: string, notes: readonly Banknote[]): void {
    if (!this.exchangeActive) throw new Error('loadNotes outside an exchange');
    this.cashState(unitId).notes = [...notes];
  }

  exchangeLog(): readonly ExchangeRecord[] {
    return [...this.exchanges];
  }

  // ---- internals ----

  private requireExchange(): void {
    if (!this.exchangeActive) refuse('noExchangeActive', 'no exchange is active');
  }

  private cashState(id: string): CashUnitState {
    const unit = this.cash.get(id);
    if (!unit) refuse('invalidUnit', `no cash unit ${id}`);
    return unit;
  }

  private cardState(id: string): CardUnitState {
    const unit = this.card.get(id);
    if (!unit) refuse('invalidUnit', `no card unit ${id}`);
    return unit;
  }

  private snapshot(cashIds?: readonly string[], cardIds?: readonly string[]): StorageSnapshot {
    const pick = <T>(all: Map<string, T>, ids?: readonly string[]): T[] =>
      ids ? ids.map((id) => all.get(id) as T) : [...all.values()];
    return { cash: pick(this.cash, cashIds).map(cashView), card: pick(this.card, cardIds).map(cardView) };
  }

  private levels(): Map<string, string> {
    const snapshot = this.snapshot();
    return new Map([...snapshot.cash, ...snapshot.card].map((unit) => [unit.id, unit.replenishmentStatus] as const));
  }

  private emitThresholds(before: Map<string, string>): void {
    const snapshot = this.snapshot();
    for (const unit of [...snapshot.cash, ...snapshot.card]) {
      if (before.get(unit.id) !== unit.replenishmentStatus) {
        this.hub.emit('storageThreshold', { unitId: unit.id, replenishmentStatus: unit.replenishmentStatus });
      }
    }
  }
}

function cashView(unit: CashUnitState): CashUnit {
  const count = unitCount(unit.counts);
  return {
    id: unit.id,
    position: unit.position,
    status: unit.status,
    configuration: unit.configuration,
    counts: unit.counts,
    count,
    replenishmentStatus: replenishmentStatus(count, unit.configuration),
  };
}

function cardView(unit: CardUnitState): CardUnit {
  return {
    ...unit,
    replenishmentStatus: replenishmentStatus(unit.count, cardUnitLimits(unit.type, unit.capacity, unit.threshold)),
  };
}

function validateCashChange(unit: CashUnitState, change: CashUnitChange): void {
  const configuration = { ...unit.configuration, ...change.configuration };
  const numbers = [
    change.initial ?? 0,
    configuration.value,
    configuration.capacity,
    configuration.lowThreshold,
    configuration.highThreshold,
    configuration.maxRetracts,
  ];
  if (!numbers.every(isCount)) throw new DeviceError('invalidData', `unit ${unit.id}: counts must be integers ≥ 0`);
}

function validateCardChange(unit: CardUnitState, change: CardUnitChange): void {
  const numbers = [change.initialCount ?? 0, change.capacity ?? 0, change.threshold ?? 0];
  if (!numbers.every(isCount)) throw new DeviceError('invalidData', `unit ${unit.id}: counts must be integers ≥ 0`);
}

function applyCashChange(unit: CashUnitState, change: CashUnitChange): void {
  unit.configuration = { ...unit.configuration, ...change.configuration };
  if (change.initial !== undefined) unit.counts = freshCounts(change.initial);
  if (change.status !== undefined) unit.status = change.status;
}

function applyCardChange(unit: CardUnitState, change: CardUnitChange): void {
  unit.capacity = change.capacity ?? unit.capacity;
  unit.threshold = change.threshold ?? unit.threshold;
  unit.status = change.status ?? unit.status;
  if (change.initialCount !== undefined) {
    unit.initialCount = change.initialCount;
    unit.count = change.initialCount;
    unit.retainCount = 0;
  }
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
