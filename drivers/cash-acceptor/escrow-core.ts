import { sleep, type Clock } from '../common/clock.js';
import { PollLoop } from '../common/poll-loop.js';
import { CommandQueue } from '../common/command-queue.js';
import { CanceledError, DeviceError, fail, ok, toFailure, type DeviceResult } from '../common/completion.js';
import type { CommonDeviceEvents, DriverContext } from '../common/device.js';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { DeviceInformation } from '../common/status.js';
import { StatusStore } from '../common/status-store.js';
import type { ByteTransport } from '../common/transport.js';
import type { CashManagementErrorCode, ItemsMoved, CashModuleState, CashPosition } from '../cash-dispenser/contract.js';
import type {
  CashItem,
  CashUnit,
  CashUnitChange,
  CashUnitCounts,
  CashUnitStorage,
  CountedRecord,
  Money,
  RestorableCounts,
  StorageErrorCode,
} from '../storage/contract.js';
import { countsToSet, storageRefuse } from '../storage/unit-changes.js';
import type {
  BanknoteType,
  CashAcceptorCapabilities,
  CashAcceptorErrorCode,
  CashAcceptorEventMap,
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
import type {
  AcceptorAdapter,
  AcceptorCondition,
  AcceptorEvent,
  AcceptorIdentity,
  BezelContent,
} from './escrow-core-adapter.js';
import { AcceptorLedger, type AcceptorUnitSetup } from './escrow-core-ledger.js';

/** Driver options shared by every acceptor model (from the kiosk configuration). */
export interface EscrowCoreOptions {
  /** Default 200 ms. */
  readonly pollIntervalMs?: number;
  /** Default 3. */
  readonly missedPollsOffline?: number;
  /** Notes the escrow holds; default 20. */
  readonly escrowCapacity?: number;
  /** cashIn ends once the feeder has been quiet this long after the last note; default 1500 ms. */
  readonly insertIdleMs?: number;
  readonly cashbox?: { readonly capacity?: number; readonly initialCount?: number };
}

interface Transaction {
  readonly useRecycleUnits: boolean;
  readonly itemsLimit: number;
  readonly amountLimit: Money | undefined;
  state: CashInState;
  accepted: ClassifiedNote[];
  refused: number;
}

export const CASHBOX_UNIT = 'cashbox';
const RETAIN_ACTION = { counterfeit: true, suspect: true, inked: true } as const;
/** Polls without news before a cashIn may end: the device takes the next note at the next poll, however slow the link. */
const QUIET_POLLS = 3;
const IDLE_CONDITION: AcceptorCondition = {
  jammed: false,
  cashboxMissing: false,
  stackerFull: false,
  bezelOccupied: false,
};

type CoreEvents<S> = CommonDeviceEvents<S> & CashAcceptorEventMap;

/**
 * The model-independent half of every note acceptor driver: the XFS4IoT
 * cash-in transaction (limits, refusals, escrow, commit/rollback), the
 * customer's bezel, unit counts, the poll loop with offline/online and
 * re-initialisation after a device restart. A model supplies its adapter;
 * a recycler adds the dispenser commands on top.
 */
export abstract class EscrowCore<S extends CashAcceptorStatus, E extends CoreEvents<S>>
  implements CashUnitStorage, RestorableCounts
{
  readonly deviceClass = 'cashAcceptor' as const;
  readonly id: string;
  protected readonly clock: Clock;
  protected readonly hub = new EventHub<E>();
  protected readonly store: StatusStore<S, E>;
  protected readonly ledger: AcceptorLedger;
  protected condition: AcceptorCondition = IDLE_CONDITION;
  /** Notes wait in the bezel for the customer (refused, rolled back or paid). */
  protected outputWaiting = false;
  /** The waiting notes were there when the device (re)started, not put there by this driver. */
  private unknownAtOutput: CashAcceptorStatus['unknownAtOutput'];
  private outputGeneration = 0;
  private readonly queue = new CommandQueue();
  private readonly settings: Required<Omit<EscrowCoreOptions, 'cashbox'>>;
  private noteTypes = new Map<string, BanknoteType>();
  private txn: Transaction | undefined;
  private escrow: ClassifiedNote[] = [];
  private retained: ClassifiedNote[] = [];
  private accepting = false;
  private collector: ((event: AcceptorEvent) => Promise<void>) | undefined;
  private readonly polling: PollLoop;
  private offline = true;
  private needsInit = false;
  private missed = 0;
  /** Completed polls, so that cashIn can wait for quiet polls rather than only quiet time. */
  private polls = 0;
  private identity: AcceptorIdentity | undefined;
  /** A replenishment (Storage exchange) is running: cash-in and pay-out are refused. */
  private exchange = false;

  protected constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    protected readonly adapter: AcceptorAdapter,
    options: EscrowCoreOptions,
    units: readonly AcceptorUnitSetup[],
  ) {
    this.id = context.id;
    this.clock = context.clock;
    this.settings = {
      pollIntervalMs: options.pollIntervalMs ?? 200,
      missedPollsOffline: options.missedPollsOffline ?? 3,
      escrowCapacity: options.escrowCapacity ?? 20,
      insertIdleMs: options.insertIdleMs ?? 1500,
    };
    this.ledger = new AcceptorLedger([
      ...units,
      {
        id: CASHBOX_UNIT,
        position: 'cashbox',
        types: ['cashIn'],
        capacity: options.cashbox?.capacity ?? 0,
        initialCount: options.cashbox?.initialCount ?? 0,
      },
    ]);
    this.store = new StatusStore<S, E>(this.computeStatus(), this.hub);
    this.polling = new PollLoop(this.clock, () => this.settings.pollIntervalMs, () => this.tick());
  }

  // ---- Device ----

  getStatus(): S {
    return this.store.get();
  }

  on<K extends keyof E>(type: K, listener: (payload: E[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  /** The acceptor's cash units with their counters (its Storage view). */
  cashUnits(): readonly CashUnit[] {
    return this.ledger.list();
  }

  // ---- RestorableCounts: the kiosk's durable ledger keeps the counters across restarts ----

  /** The counters include no device record: the driver counts what its own commands moved. */
  countedRecord(): CountedRecord {
    return {};
  }

  /**
   * Before open: the named units start from the ledger's counters instead of
   * the configuration. A unit the device counts itself (an eSSP recycle store)
   * is still resynced from the device's level at initialisation.
   */
  restoreCounts(counts: Readonly<Record<string, CashUnitCounts>>, _counted: CountedRecord | undefined): void {
    if (this.identity) throw new Error('counts can be restored only before the device is first opened');
    this.ledger.restore(counts);
    this.refresh();
  }

  // ---- CashUnitStorage: the custodian's exchange (refill or unload the recycle units, empty the cashbox) ----

  startExchange = (_r: void, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (this.exchange) storageRefuse('exchangeActive', 'an exchange is already active');
      if (this.txn?.state === 'active') storageRefuse('transactionActive', 'a cash-in transaction is active');
      this.exchange = true;
      return Promise.resolve(this.ledger.list());
    });

  setCashUnits = (request: Readonly<Record<string, CashUnitChange>>, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (!this.exchange) storageRefuse('noExchangeActive', 'start an exchange first');
      for (const [unitId, n] of Object.entries(countsToSet(request, (id) => this.ledger.has(id))))
        this.ledger.setInitial(unitId, n);
      this.refresh();
      return Promise.resolve(this.ledger.list());
    });

  endExchange = (_r: void, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (!this.exchange) storageRefuse('noExchangeActive', 'no exchange is active');
      this.exchange = false;
      return Promise.resolve(this.ledger.list());
    });

  protected acceptorCapabilities(): CashAcceptorCapabilities {
    return {
      maxCashInItems: this.settings.escrowCapacity,
      shutterControl: true,
      retractAreas: [],
      inputPositions: ['inDefault'],
      outputPositions: ['outDefault'],
      retainAction: RETAIN_ACTION,
    };
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    try {
      await this.transport.open(signal);
      this.adapter.start();
      const identity = await this.initialise();
      this.polling.start();
      return ok({
        modelName: identity.modelName,
        serialNumber: identity.serialNumber,
        firmware: identity.firmware,
        protocol: this.adapter.protocol,
      });
    } catch (err) {
      // Polling goes on: it initialises the device once it answers.
      this.polling.start();
      return toFailure(err);
    }
  }

  async close(): Promise<void> {
    this.polling.stop();
    this.adapter.stop();
    await this.transport.close();
    this.offline = true;
    this.refresh();
  }

  // ---- CashAcceptorCommands ----

  getBankNoteTypes = (_r: void, signal: AbortSignal) =>
    this.command<readonly BanknoteType[], CashAcceptorErrorCode>(signal, () =>
      Promise.resolve([...this.noteTypes.values()]),
    );

  configureNoteTypes = (request: ConfigureNoteTypesRequest, signal: AbortSignal) =>
    this.command<void, CashAcceptorErrorCode>(signal, () => {
      if (this.txn?.state === 'active') refuse('cashInActive', 'a cash-in transaction is active');
      const unknown = Object.keys(request.items).find((id) => !this.noteTypes.has(id));
      if (unknown) throw new DeviceError('invalidData', `unknown note type ${unknown}`);
      for (const [id, enabled] of Object.entries(request.items))
        this.noteTypes.set(id, { ...this.noteTypes.get(id)!, enabled });
      return Promise.resolve();
    });

  cashInStart = (request: CashInStartRequest, signal: AbortSignal) =>
    this.command<void, CashAcceptorErrorCode>(signal, () => {
      this.requireNoExchange();
      if (this.txn?.state === 'active') refuse('cashInActive', 'a cash-in transaction is already active');
      if (
        (request.inputPosition ?? 'inDefault') !== 'inDefault' ||
        (request.outputPosition ?? 'outDefault') !== 'outDefault'
      ) {
        refuse('unsupportedPosition', 'the acceptor has one bezel');
      }
      const limit = request.totalItemsLimit ?? 0;
      if (!Number.isInteger(limit) || limit < 0) throw new DeviceError('invalidData', 'totalItemsLimit must be ≥ 0');
      const cap = this.settings.escrowCapacity;
      this.txn = {
        useRecycleUnits: request.useRecycleUnits ?? true,
        itemsLimit: limit === 0 ? cap : Math.min(limit, cap),
        amountLimit: request.amountLimit,
        state: 'active',
        accepted: [],
        refused: 0,
      };
      return Promise.resolve();
    });

  cashIn = (_r: void, signal: AbortSignal) =>
    this.command<CashInResult, CashAcceptorErrorCode>(signal, async () => {
      const txn = this.requireActive();
      if (this.outputWaiting) refuse('positionNotEmpty', 'refused notes wait in the bezel');
      if (this.escrow.length + this.retained.length >= txn.itemsLimit) refuse('tooManyItems', 'the escrow is full');
      this.requireReader();
      return this.collect(txn, signal);
    });

  cashInEnd = (_r: void, signal: AbortSignal) =>
    this.command<CashInEndResult, CashAcceptorErrorCode>(signal, async () => {
      const txn = this.requireSettleable();
      const routes = this.escrow.length > 0 ? await this.adapter.commitEscrow(txn.useRecycleUnits) : [];
      if (!routes || routes.length !== this.escrow.length)
        refuse('cashUnitError', 'the device cannot store the escrow');
      const stored: StoredNote[] = this.escrow.map((note, i) => ({
        ...note,
        unitId: this.unitFor(note, routes[i] === 'recycler'),
      }));
      const notes = [...stored, ...this.keepRetained()];
      this.count(notes);
      this.finish(txn, 'ok');
      return { credited: credited(notes), stored: byUnit(notes), notes };
    });

  cashInRollback = (_r: void, signal: AbortSignal) =>
    this.command<CashInRollbackResult, CashAcceptorErrorCode>(signal, async () => {
      const txn = this.requireSettleable();
      const returned = [...this.escrow];
      if (returned.length > 0) {
        await this.adapter.returnEscrow();
        this.presentToBezel();
      }
      const retained = this.keepRetained();
      this.count(retained);
      this.finish(txn, 'rollback');
      return { returned, retained };
    });

  getCashInStatus = (_r: void, signal: AbortSignal) =>
    this.command<CashInStatus, CashAcceptorErrorCode>(signal, () =>
      Promise.resolve({
        status: this.txn?.state ?? 'unknown',
        numOfRefused: this.txn?.refused ?? 0,
        noteNumberList: noteNumbers(this.txn?.accepted ?? []),
      }),
    );

  // ---- CashManagementCommands ----

  retract = (_r: unknown, _signal: AbortSignal) =>
    Promise.resolve(fail<CashManagementErrorCode>('unsupportedCommand', 'the bezel has no retract path'));

  openShutter = (_r: unknown, _signal: AbortSignal) =>
    Promise.resolve(fail<CashManagementErrorCode>('unsupportedCommand', 'the device drives its bezel'));

  closeShutter = (_r: unknown, _signal: AbortSignal) =>
    Promise.resolve(fail<CashManagementErrorCode>('unsupportedCommand', 'the device drives its bezel'));

  /** Reinitialises the device; the escrow comes back to the bezel (the device has no retract path). */
  reset = (_r: unknown, signal: AbortSignal) =>
    this.command<ItemsMoved, CashManagementErrorCode>(signal, async () => {
      await this.adapter.reset();
      const notes = [...this.escrow];
      if (notes.length > 0) this.presentToBezel();
      if (this.txn?.state === 'active') {
        this.count(this.keepRetained());
        this.finish(this.txn, 'reset');
      }
      await this.initialise();
      return { count: notes.length, notes };
    });

  // ---- for models ----

  /** Model status fields beyond the acceptor's (a recycler's dispenser side). */
  protected abstract extraStatus(): Omit<S, keyof CashAcceptorStatus>;
  /** After every (re)initialisation, e.g. to resync counts from the device. */
  protected abstract afterInitialise(identity: AcceptorIdentity): Promise<void>;
  /** Events the core does not handle itself (paid-out notes). */
  protected abstract onModelEvent(event: AcceptorEvent): void;

  protected command<T, C extends string>(signal: AbortSignal, body: () => Promise<T>): Promise<DeviceResult<T, C>> {
    return this.queue
      .run(signal, async () => {
        if (this.offline) throw new DeviceError('deviceNotReady', `${this.id} is offline`);
        return ok(await body());
      })
      .catch((err: unknown) => toFailure<C>(err));
  }

  /** Notes were put in the bezel; itemsTaken follows when the device sees it empty. */
  protected presentToBezel(): void {
    this.outputWaiting = true;
    this.outputGeneration += 1;
    this.emit('itemsPresented', { position: 'outDefault', additionalBunches: 0 });
    this.refresh();
  }

  /** Cash commands wait for the custodian's exchange to end (XFS4IoT `exchangeActive`). */
  protected requireNoExchange(): void {
    if (this.exchange) refuse('exchangeActive', 'the cash units are being replenished');
  }

  protected requireReader(): void {
    if (this.condition.jammed) throw new DeviceError('hardwareError', 'the note path is jammed');
  }

  protected refresh(): void {
    this.store.update(this.computeStatus());
  }

  protected emit<K extends keyof CashAcceptorEventMap>(type: K, payload: CashAcceptorEventMap[K]): void {
    (this.hub as unknown as EventHub<CashAcceptorEventMap>).emit(type, payload);
  }

  // ---- internals ----

  private async initialise(): Promise<AcceptorIdentity> {
    const { identity, bezel } = await this.adapter.initialise();
    if (!this.identity) {
      this.noteTypes = new Map(
        identity.noteTypes.map((item) => [typeId(item), { id: typeId(item), item, enabled: true }]),
      );
    }
    this.identity = identity;
    await this.afterInitialise(identity);
    this.needsInit = false;
    this.missed = 0;
    this.offline = false;
    this.learnBezel(bezel);
    this.refresh();
    return identity;
  }

  /** Notes in the bezel that this driver did not put there are presented as of unknown origin. */
  private learnBezel(bezel: BezelContent): void {
    if (!bezel.occupied || this.outputWaiting) return;
    this.unknownAtOutput = { amounts: bezel.amounts };
    this.presentToBezel();
  }

  private async tick(): Promise<void> {
    try {
      if (this.needsInit || this.offline) await this.initialise();
      const generation = this.outputGeneration;
      const { events, condition } = await this.adapter.poll();
      this.missed = 0;
      this.polls += 1;
      for (const event of events) await this.handle(event);
      this.condition = condition;
      if (this.outputWaiting && !condition.bezelOccupied && generation === this.outputGeneration) {
        this.outputWaiting = false;
        this.unknownAtOutput = undefined;
        this.emit('itemsTaken', { position: 'outDefault', additionalBunches: 0 });
      }
      this.ledger.setCondition(CASHBOX_UNIT, condition.cashboxMissing ? 'missing' : 'ok', condition.stackerFull);
    } catch {
      this.needsInit = true;
      this.missed += 1;
      if (this.missed >= this.settings.missedPollsOffline) this.offline = true;
    }
    this.refresh();
  }

  private async handle(event: AcceptorEvent): Promise<void> {
    if (event.kind === 'restarted' && this.txn?.state === 'active') {
      // The device handed the escrow back on restart: the transaction's outcome is unknown.
      if (this.escrow.length > 0) this.presentToBezel();
      this.count(this.keepRetained());
      this.finish(this.txn, 'unknown');
    }
    // A restart loses the device's settings (and an eSSP key): handshake again before the next poll.
    if (event.kind === 'restarted') this.needsInit = true;
    if (event.kind === 'fraudAttempt')
      this.hub.emit('error', {
        eventId: 'fraudAttempt',
        action: 'clear',
        vendorDescription: 'fraud attempt at the bezel',
      });
    if (this.collector) await this.collector(event);
    else if (event.kind === 'noteAtHead') await this.adapter.refuseHead();
    this.onModelEvent(event);
  }

  /** Opens the validator, collects notes until the feeder is quiet, closes it. */
  private async collect(txn: Transaction, signal: AbortSignal): Promise<CashInResult> {
    const items: ClassifiedNote[] = [];
    const reasons = new Map<InputRefuseReason, number>();
    const pendingReasons: InputRefuseReason[] = [];
    let seen = false;
    let busy = false;
    let last = this.clock.monotonic();
    let lastPoll = this.polls;
    const refuseWith = (reason: InputRefuseReason): void => void reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    this.collector = async (event) => {
      last = this.clock.monotonic();
      lastPoll = this.polls;
      switch (event.kind) {
        case 'reading':
          if (!seen) this.emit('itemsInserted', { position: 'inDefault' });
          seen = true;
          return;
        case 'noteAtHead': {
          const reason = this.refusal(txn, event.item);
          busy = reason === undefined;
          if (reason) {
            pendingReasons.push(reason);
            await this.adapter.refuseHead();
          } else await this.adapter.acceptHead();
          return;
        }
        case 'escrowed':
        case 'retained':
          busy = false;
          (event.kind === 'escrowed' ? this.escrow : this.retained).push(event.note);
          txn.accepted.push(event.note);
          items.push(event.note);
          this.refresh();
          return;
        case 'returned':
          busy = false;
          refuseWith(pendingReasons.shift() ?? 'invalidBill');
          return;
        case 'fraudAttempt':
          pendingReasons.push('counterfeit');
          return;
        default:
          return;
      }
    };
    const enabled = [...this.noteTypes.values()].filter((t) => t.enabled).map((t) => t.item);
    try {
      await this.adapter.setAcceptance(enabled);
      this.accepting = true;
      this.refresh();
      this.emit('insertItems', { position: 'inDefault' });
      for (;;) {
        await sleep(this.clock, this.settings.pollIntervalMs, signal);
        if (this.offline) throw new DeviceError('hardwareError', 'the acceptor stopped answering');
        this.requireReader();
        const quiet = this.polls - lastPoll >= QUIET_POLLS && this.clock.monotonic() - last >= this.settings.insertIdleMs;
        if (seen && !busy && quiet) break;
      }
    } catch (err) {
      if (!(err instanceof CanceledError) || !seen) throw err;
    } finally {
      this.collector = undefined;
      this.accepting = false;
      await this.adapter.setAcceptance([]).catch(() => undefined);
      this.refresh();
    }
    let refused = 0;
    for (const [reason, count] of reasons) {
      refused += count;
      this.emit('inputRefuse', { reason, count });
    }
    txn.refused += refused;
    if (refused > 0) this.presentToBezel();
    return { items, refused };
  }

  private refusal(txn: Transaction, item: CashItem): InputRefuseReason | undefined {
    if (!this.noteTypes.get(typeId(item))?.enabled) return 'invalidBill';
    const held = this.escrow.length + this.retained.length;
    if (held >= this.settings.escrowCapacity) return 'stackerFull';
    if (held >= txn.itemsLimit) return 'limitOverTotalItems';
    const limit = txn.amountLimit;
    if (limit && item.currency === limit.currency) {
      const sofar = this.escrow.filter((n) => n.currency === limit.currency).reduce((s, n) => s + n.value, 0);
      if (sofar + item.value > limit.amount) return 'limitOverAmount';
    }
    return undefined;
  }

  private requireActive(): Transaction {
    const txn = this.txn;
    if (txn?.state !== 'active') refuse('noCashInActive', 'no cash-in transaction is active');
    return txn;
  }

  private requireSettleable(): Transaction {
    const txn = this.requireActive();
    if (this.escrow.length + this.retained.length === 0) refuse('noItems', 'the escrow is empty');
    if (this.outputWaiting) refuse('positionNotEmpty', 'refused notes wait in the bezel');
    return txn;
  }

  private unitFor(note: ClassifiedNote, recycled: boolean): string {
    const unit = recycled
      ? this.ledger
          .list()
          .find(
            (u) =>
              u.configuration.types.includes('recycle') &&
              u.configuration.currency === note.currency &&
              u.configuration.value === note.value,
          )
      : undefined;
    return unit?.id ?? CASHBOX_UNIT;
  }

  /** Retained notes are already in the cashbox; they are counted when the transaction ends. */
  private keepRetained(): StoredNote[] {
    return this.retained.map((n) => ({ ...n, unitId: CASHBOX_UNIT }));
  }

  private count(notes: readonly StoredNote[]): void {
    for (const [unitId, n] of Object.entries(byUnit(notes))) this.ledger.apply(unitId, { in: { deposited: n } });
  }

  private finish(txn: Transaction, state: CashInState): void {
    txn.state = state;
    this.escrow = [];
    this.retained = [];
    this.refresh();
  }

  private computeStatus(): S {
    const jammed = this.condition.jammed;
    const held = this.escrow.length + this.retained.length;
    return {
      device: this.offline ? 'offline' : jammed ? 'hardwareError' : 'online',
      devicePosition: 'inPosition',
      acceptor: this.moduleState(),
      escrow: held === 0 ? 'empty' : held >= this.settings.escrowCapacity ? 'full' : 'notEmpty',
      banknoteReader: this.offline ? 'unknown' : jammed ? 'inoperative' : 'ok',
      positions: [
        {
          position: 'inDefault' as CashPosition,
          shutter: this.accepting ? 'open' : 'closed',
          positionStatus: 'unknown',
          transport: 'ok',
          transportStatus: 'empty',
        },
        {
          position: 'outDefault' as CashPosition,
          shutter: this.outputWaiting ? 'open' : 'closed',
          positionStatus: this.outputWaiting ? 'notEmpty' : 'empty',
          transport: 'ok',
          transportStatus: 'empty',
        },
      ],
      unknownAtOutput: this.unknownAtOutput,
      ...this.extraStatus(),
    } as unknown as S;
  }

  /** `stop` when the reader is down or the cashbox (which takes every note a recycler will not) cannot take more. */
  private moduleState(): CashModuleState {
    if (this.offline) return 'unknown';
    if (this.condition.jammed || this.condition.cashboxMissing || this.condition.stackerFull) return 'stop';
    return this.ledger.list().some((u) => u.replenishmentStatus === 'full') ? 'attention' : 'ok';
  }
}

function refuse(errorCode: CashAcceptorErrorCode, description: string): never {
  throw new DeviceError('commandErrorCode', description, errorCode);
}

export function typeId(item: CashItem): string {
  return `type${item.currency}${item.value}`;
}

function byUnit(notes: readonly StoredNote[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of notes) counts[n.unitId] = (counts[n.unitId] ?? 0) + 1;
  return counts;
}

function credited(notes: readonly ClassifiedNote[]): Money[] {
  const totals = new Map<string, number>();
  for (const n of notes) {
    if (n.classification === 'fit' || n.classification === 'unfit')
      totals.set(n.currency, (totals.get(n.currency) ?? 0) + n.value);
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

function noteNumbers(notes: readonly ClassifiedNote[]): NoteCount[] {
  const counts = new Map<string, NoteCount>();
  for (const { currency, value, classification } of notes) {
    const key = `${currency}/${value}/${classification}`;
    counts.set(key, { currency, value, classification, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}
