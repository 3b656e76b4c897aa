import type { CommonDeviceEvents } from '../common/device.js';
import type { EventHub } from '../common/events.js';
import { MemoryDeviceBase, OneShotFaults, refuse } from '../common/memory-device.js';
import type { CommonStatus } from '../common/status.js';
import type { Banknote, CashInCounts, CashUnit } from '../storage/contract.js';
import { hasRoom } from '../storage/accounting.js';
import type { MemoryStorage } from '../storage/memory.js';
import type {
  CashManagementCommands,
  CashManagementErrorCode,
  CashManagementEventMap,
  CashPosition,
  CashPositionStatus,
  ItemsMoved,
  PositionRequest,
  ResetRequest,
  RetractArea,
  RetractRequest,
  ShutterState,
} from './contract.js';

/** Faults every in-memory cash device can be armed with. */
export type CashManagementFault =
  /** The next shutter opening jams: shutter `jammed`, the command fails with shutterNotOpen. */
  | 'shutterJam'
  /** The customer grabs the items while the next retract runs: it fails with itemsTaken. */
  | 'itemsTakenDuringRetract';

export interface FaultOptions {
  /** Only when this unit is involved (pick failures). */
  readonly unitId?: string;
  /** Only once this many notes have been picked in the command. */
  readonly afterNotes?: number;
}

export interface MemoryCashDeviceOptions {
  readonly id?: string;
  /** The shared cash model (also the Storage device of the same service). */
  readonly storage: MemoryStorage;
  /** Default true: the device drives its shutters; false: the application calls open/closeShutter. */
  readonly shutterControl?: boolean;
  readonly retractAreas?: readonly RetractArea[];
}

/** A customer-facing slot: its shutter, what lies in it, what a retract left in the transport. */
export interface Slot<N> {
  readonly position: CashPosition;
  shutter: ShutterState;
  items: N[];
  transport: N[];
}

interface CashDeviceStatus extends CommonStatus {
  readonly positions: readonly CashPositionStatus[];
}

/**
 * The CashManagement half of the in-memory cash devices: slots with shutters,
 * the customer's hand (`takeItems`), retract and reset into the shared storage,
 * and fault injection. The dispenser and the acceptor add their own commands.
 */
export abstract class MemoryCashDevice<
    S extends CashDeviceStatus,
    E extends CommonDeviceEvents<S> & CashManagementEventMap,
    N extends Banknote,
    F extends string,
  >
  extends MemoryDeviceBase<S, E, CashManagementErrorCode>
  implements CashManagementCommands
{
  protected readonly storage: MemoryStorage;
  protected readonly shutterControl: boolean;
  protected readonly retractAreas: readonly RetractArea[];
  protected readonly slots: ReadonlyMap<CashPosition, Slot<N>>;
  protected readonly faults = new OneShotFaults<F | CashManagementFault, FaultOptions>();

  protected constructor(
    id: string,
    initial: S,
    options: MemoryCashDeviceOptions,
    positions: readonly CashPosition[],
    defaultRetractAreas: readonly RetractArea[],
  ) {
    super({ id }, initial);
    this.storage = options.storage;
    this.shutterControl = options.shutterControl ?? true;
    this.retractAreas = options.retractAreas ?? defaultRetractAreas;
    this.slots = new Map(
      positions.map((position) => [position, { position, shutter: 'closed', items: [], transport: [] }]),
    );
    this.storage.on('countsChanged', () => this.refresh());
    this.storage.on('storageChanged', () => this.refresh());
  }

  // ---- CashManagementCommands ----

  retract = (request: RetractRequest, signal: AbortSignal) =>
    this.run<ItemsMoved>(signal, () => {
      this.requireNoExchange();
      const slot = this.slots.get(request.position ?? 'outDefault');
      if (!slot) refuse('invalidRetractPosition', `no position ${request.position}`);
      if (!this.retractAreas.includes(request.retractArea)) {
        refuse('notRetractArea', `cannot retract to ${request.retractArea}`);
      }
      if (slot.items.length > 0 && this.faults.take('itemsTakenDuringRetract')) {
        this.handOver(slot);
        refuse('itemsTaken', 'the customer took the items during the retract');
      }
      const notes = this.retractable(slot);
      if (notes.length === 0) refuse('noItems', 'nothing to retract');
      // place() picks its unit before moving anything, so a refusal leaves the items where they were.
      const moved = this.place(request.retractArea, notes, slot, request.unitId);
      slot.items = [];
      if (this.shutterControl) this.setShutter(slot, 'closed');
      this.afterRetract(notes);
      this.refresh();
      return moved;
    });

  openShutter = (request: PositionRequest, signal: AbortSignal) =>
    this.run<void>(signal, () => {
      this.openSlot(this.slot(request.position));
    });

  closeShutter = (request: PositionRequest, signal: AbortSignal) =>
    this.run<void>(signal, () => {
      const slot = this.slot(request.position);
      if (slot.shutter === 'jammed') refuse('shutterNotClosed', `${slot.position} shutter is jammed`);
      this.setShutter(slot, 'closed');
    });

  reset = (request: ResetRequest, signal: AbortSignal) =>
    this.run<ItemsMoved>(signal, () => {
      const area = request.retractArea ?? 'reject';
      const found = [...this.slots.values()].reduce((n, s) => n + s.items.length + s.transport.length, 0);
      const unitId = this.receivingUnit(area, found + this.internalItems(), request.unitId, area === 'retract');
      const notes: N[] = [];
      for (const slot of this.slots.values()) {
        const fromSlot = slot.items.splice(0);
        const fromTransport = slot.transport.splice(0);
        this.store(unitId, fromSlot, { retracted: fromSlot.length });
        this.store(unitId, fromTransport, { transport: fromTransport.length });
        notes.push(...fromSlot, ...fromTransport);
        this.setShutter(slot, 'closed');
      }
      notes.push(...this.resetInternal(unitId));
      this.refresh();
      return { count: notes.length, unitId, notes };
    });

  // ---- test controls ----

  /** Arms a one-shot fault for the next command that can hit it. */
  injectFault(fault: F | CashManagementFault, options: FaultOptions = {}): void {
    this.faults.arm(fault, options);
  }

  /**
   * The customer takes everything in an open slot: itemsTaken, then the shutter
   * closes when the device drives it. Returns the notes, serials and all.
   */
  takeItems(position: CashPosition = 'outDefault'): N[] {
    const slot = this.slot(position);
    if (slot.shutter !== 'open' || slot.items.length === 0) return [];
    return this.handOver(slot);
  }

  /** What lies in a slot now, for assertions. */
  itemsAt(position: CashPosition = 'outDefault'): readonly N[] {
    return [...this.slot(position).items];
  }

  // ---- for subclasses ----

  /** Pushes the derived status (positions, stacker, module state) to the status store. */
  protected abstract refresh(): void;
  /** Retract area `stacker`: back into the internal stacker. */
  protected abstract toStacker(notes: N[]): void;
  /** Notes in the stacker/escrow that reset must also clear. */
  protected abstract internalItems(): number;
  /** Moves the stacker/escrow into `unitId` on reset and forgets the transaction. */
  protected abstract resetInternal(unitId: string): N[];
  /** Called after the customer took notes from a slot. */
  protected abstract afterTaken(notes: readonly N[]): void;
  /** Called after a successful retract has emptied the slot. */
  protected abstract afterRetract(notes: readonly N[]): void;

  /** What a retract takes, without moving it yet; the acceptor adds its escrow. */
  protected retractable(slot: Slot<N>): N[] {
    return [...slot.items];
  }

  protected requireNoExchange(): void {
    if (this.storage.exchangeActive) refuse('exchangeActive', 'a storage exchange is active');
  }

  protected slot(position: CashPosition = 'outDefault'): Slot<N> {
    const slot = this.slots.get(position);
    if (!slot) refuse('unsupportedPosition', `no position ${position}`);
    return slot;
  }

  /** Opens a shutter, or jams it when armed to. */
  protected openSlot(slot: Slot<N>): void {
    if (this.faults.take('shutterJam')) {
      this.setShutter(slot, 'jammed');
      refuse('shutterNotOpen', `${slot.position} shutter jammed`);
    }
    this.setShutter(slot, 'open');
  }

  protected setShutter(slot: Slot<N>, shutter: ShutterState): void {
    if (slot.shutter === shutter) return;
    slot.shutter = shutter;
    this.emit('shutterStatusChanged', { position: slot.position, shutter });
    this.refresh();
  }

  /** Puts notes in a slot within the customer's reach and says so. */
  protected presentAt(slot: Slot<N>, notes: readonly N[]): void {
    if (this.shutterControl) this.openSlot(slot);
    slot.items.push(...notes);
    this.emit('itemsPresented', { position: slot.position, additionalBunches: 0 });
  }

  /** CashManagement events, typed once for every subclass's event map. */
  protected emit<K extends keyof CashManagementEventMap>(type: K, payload: CashManagementEventMap[K]): void {
    (this.hub as unknown as EventHub<CashManagementEventMap>).emit(type, payload);
  }

  /**
   * The unit that takes `count` items for `area`: the given one, or the first
   * suitable one. Fails with cashUnitError (and storageError) when none has room
   * or, for a retract operation, retracts left.
   */
  protected receivingUnit(area: 'retract' | 'reject', count: number, unitId?: string, operation = false): string {
    const unit = this.findReceivingUnit(area, count, unitId, operation);
    if (!unit) refuse('cashUnitError', `no ${area} unit can take ${count} items`);
    return unit;
  }

  /** As receivingUnit, but reports the blocked unit and returns undefined instead of failing. */
  protected findReceivingUnit(
    area: 'retract' | 'reject',
    count: number,
    unitId?: string,
    operation = false,
  ): string | undefined {
    const candidates = this.storage
      .cashUnits()
      .filter((u) => (unitId === undefined || u.id === unitId) && u.configuration.types.includes(area));
    const unit = candidates.find((u) => u.status === 'ok' && hasRoom(u, count) && (!operation || retractsLeft(u)));
    const blocked = candidates[0];
    if (!unit && blocked) this.storage.reportFailure(blocked.id, 'full');
    return unit?.id;
  }

  /** Physically stores notes and counts them into the unit's `in` buckets. */
  protected store(unitId: string, notes: readonly N[], counts: Partial<CashInCounts>): void {
    if (notes.length === 0) return;
    this.storage.storeNotes(unitId, notes);
    this.storage.applyCounts([{ unitId, delta: { in: counts } }]);
  }

  protected positionsView(): CashPositionStatus[] {
    return [...this.slots.values()].map((slot) => ({
      position: slot.position,
      shutter: slot.shutter,
      positionStatus: slot.items.length > 0 ? 'notEmpty' : 'empty',
      transport: 'ok',
      transportStatus: slot.transport.length > 0 ? 'notEmpty' : 'empty',
    }));
  }

  private handOver(slot: Slot<N>): N[] {
    const notes = slot.items.splice(0);
    this.emit('itemsTaken', { position: slot.position, additionalBunches: 0 });
    if (this.shutterControl) this.setShutter(slot, 'closed');
    this.afterTaken(notes);
    this.refresh();
    return notes;
  }

  private place(area: RetractArea, notes: N[], slot: Slot<N>, unitId?: string): ItemsMoved {
    switch (area) {
      case 'retract':
      case 'reject': {
        const target = this.receivingUnit(area, notes.length, unitId, true);
        this.store(target, notes, { retracted: notes.length, retractOperations: 1 });
        return { count: notes.length, unitId: target, notes };
      }
      case 'transport':
        slot.transport.push(...notes);
        return { count: notes.length, notes };
      case 'stacker':
        this.toStacker(notes);
        return { count: notes.length, notes };
    }
  }
}

function retractsLeft(unit: CashUnit): boolean {
  const max = unit.configuration.maxRetracts;
  return max === 0 || unit.counts.in.retractOperations < max;
}
