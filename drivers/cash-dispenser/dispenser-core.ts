import type { Clock } from '../common/clock.js';
import { PollLoop } from '../common/poll-loop.js';
import { countsToSet, storageRefuse } from '../storage/unit-changes.js';
import { CommandQueue } from '../common/command-queue.js';
import { DeviceError, complete, fail, ok, toFailure, type DeviceResult } from '../common/completion.js';
import type { DriverContext } from '../common/device.js';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { DeviceInformation } from '../common/status.js';
import { StatusStore } from '../common/status-store.js';
import type { ByteTransport } from '../common/transport.js';
import type {
  CashUnit,
  CashUnitChange,
  CashUnitCounts,
  CashUnitStorage,
  CountedRecord,
  Money,
  RestorableCounts,
  StorageErrorCode,
} from '../storage/contract.js';
import type {
  CashDispenserCapabilities,
  CashDispenserDevice,
  CashDispenserErrorCode,
  CashDispenserEvents,
  CashDispenserStatus,
  CashManagementErrorCode,
  CashModuleState,
  CashPosition,
  DenominateRequest,
  Denomination,
  DispensedNote,
  DispenseRequest,
  DispenseResult,
  ItemsMoved,
  LastDispenseTransaction,
  MixType,
  PositionRequest,
  PresentResult,
  PresentStatus,
  PresentStatusRequest,
  ResetRequest,
  RetractRequest,
  UnitCounts,
} from './contract.js';
import type { DeviceTransaction, DeviceView, DispenserAdapter, DispenserFault } from './dispenser-core-adapter.js';
import { MIX_TYPES, denominate, refuse } from './dispenser-core-denominate.js';
import { CashLedger, type CassetteConfig } from './dispenser-core-ledger.js';

export type { CassetteConfig } from './dispenser-core-ledger.js';

/** Driver options shared by every dispenser model (from the kiosk configuration). */
export interface DispenserOptions {
  /** The cassettes in device position order (top first). */
  readonly cassettes: readonly CassetteConfig[];
  readonly rejectUnit?: { readonly unitId?: string; readonly capacity?: number; readonly initialCount?: number };
  /** Status poll period; the customer's take is seen through it. Default 500 ms. */
  readonly pollIntervalMs?: number;
  /** Poll period while presented notes wait for the customer, so the take is seen at once. Default 50 ms. */
  readonly takeWatchIntervalMs?: number;
  /** Consecutive unanswered polls before the dispenser is offline. Default 3. */
  readonly missedPollsOffline?: number;
  /** Default 40 notes per dispense. */
  readonly maxDispenseItems?: number;
  /** Whether the firmware is set up to demand tokens (it enforces them itself). Default true. */
  readonly tokensRequired?: boolean;
  /** Dispense reply timeout: a base plus a budget per note (§1a: about 1 s per note). */
  readonly dispenseBaseMs?: number;
  readonly perNoteMs?: number;
}

const TOKEN_COMPLETIONS = new Set(['noCommandNonce', 'invalidTokenFormat', 'invalidTokenNonce', 'invalidTokenHMAC', 'invalidToken', 'invalidTokenKeyNoValue']);
const OUT_DEFAULT = 'outDefault';

/**
 * The model-independent half of every dispenser driver: denomination against
 * the configured cassettes, the dispense → present → taken / retract / reject
 * lifecycle, the stacker and exit model, counts into cash units, the command
 * nonce bookkeeping, and the mapping of device faults to XFS4IoT completions.
 * A model supplies only its protocol adapter. Tokens are passed through: the
 * firmware checks them, the driver never holds the host key.
 */
export class DispenserCore implements CashDispenserDevice, CashUnitStorage, RestorableCounts {
  readonly deviceClass = 'cashDispenser' as const;
  readonly id: string;
  private readonly clock: Clock;
  private readonly hub = new EventHub<CashDispenserEvents>();
  private readonly store: StatusStore<CashDispenserStatus, CashDispenserEvents>;
  private readonly queue = new CommandQueue();
  private readonly ledger: CashLedger;
  private readonly rejectUnitId: string;
  private readonly settings: Required<Omit<DispenserOptions, 'cassettes' | 'rejectUnit'>>;
  private view: DeviceView | undefined;
  private tx: DeviceTransaction | undefined;
  private readonly polls: PollLoop;
  private offline = true;
  private missedPolls = 0;
  private nonceOutstanding = false;
  /** A replenishment (Storage exchange) is running: cash commands are refused. */
  private exchange = false;
  /** A dispense whose reply never came: settle it from the device's record when it answers again. */
  private unsettled = false;

  constructor(
    context: DriverContext,
    private readonly transport: ByteTransport,
    private readonly adapter: DispenserAdapter,
    private readonly options: DispenserOptions,
  ) {
    if (options.cassettes.length === 0) throw new RangeError('at least one cassette must be configured');
    this.id = context.id;
    this.clock = context.clock;
    this.rejectUnitId = options.rejectUnit?.unitId ?? 'reject';
    this.ledger = new CashLedger(options.cassettes, {
      unitId: this.rejectUnitId,
      capacity: options.rejectUnit?.capacity ?? 0,
      initialCount: options.rejectUnit?.initialCount ?? 0,
    });
    this.settings = {
      pollIntervalMs: options.pollIntervalMs ?? 500,
      takeWatchIntervalMs: options.takeWatchIntervalMs ?? 50,
      missedPollsOffline: options.missedPollsOffline ?? 3,
      maxDispenseItems: options.maxDispenseItems ?? 40,
      tokensRequired: options.tokensRequired ?? true,
      dispenseBaseMs: options.dispenseBaseMs ?? 5000,
      perNoteMs: options.perNoteMs ?? 1000,
    };
    this.polls = new PollLoop(
      this.clock,
      () => (this.tx?.stage === 'presented' ? this.settings.takeWatchIntervalMs : this.settings.pollIntervalMs),
      () => this.queue.run(new AbortController().signal, () => this.poll()).catch(() => this.missedPoll()),
    );
    this.store = new StatusStore<CashDispenserStatus, CashDispenserEvents>(this.computeStatus(), this.hub);
  }

  // ---- Device ----

  getStatus(): CashDispenserStatus {
    return this.store.get();
  }

  getCapabilities(): CashDispenserCapabilities {
    return {
      maxDispenseItems: this.settings.maxDispenseItems,
      shutterControl: true,
      retractAreas: this.adapter.retractAreas,
      outputPositions: [OUT_DEFAULT],
      endToEndSecurity: { required: this.settings.tokensRequired, commandNonceTimeout: 0 },
    };
  }

  on<K extends keyof CashDispenserEvents>(type: K, listener: (payload: CashDispenserEvents[K]) => void): Unsubscribe {
    return this.hub.on(type, listener);
  }

  /** The cassettes and the reject bin with their counters (Storage view of this dispenser). */
  cashUnits(): readonly CashUnit[] {
    return this.ledger.units();
  }

  countedRecord(): CountedRecord | undefined {
    return this.ledger.counted();
  }

  /** The kiosk's durable counters replace the configured counts; see RestorableCounts. */
  restoreCounts(counts: Readonly<Record<string, CashUnitCounts>>, counted: CountedRecord | undefined): void {
    this.ledger.restore(new Map(Object.entries(counts)), counted);
    this.publish();
  }

  async open(signal: AbortSignal): Promise<DeviceResult<DeviceInformation>> {
    try {
      await this.transport.open(signal);
    } catch (err) {
      return fail<never>('hardwareError', `cannot open ${this.transport.description}: ${String(err)}`);
    }
    this.adapter.start();
    const first = await complete<string, never>(async () => {
      const serialNumber = await this.adapter.serialNumber();
      await this.poll();
      return serialNumber;
    });
    this.polls.start();
    if (first.completionCode !== 'success') return fail<never>(first.completionCode, first.errorDescription);
    return ok({ modelName: this.adapter.modelName, serialNumber: first.payload, firmware: 'unknown', protocol: this.adapter.protocol });
  }

  async close(): Promise<void> {
    this.polls.stop();
    this.adapter.stop();
    await this.transport.close();
    this.offline = true;
    this.publish();
  }

  // ---- CashDispenser commands ----

  getMixTypes = (_request: void, signal: AbortSignal) => this.command<readonly MixType[]>(signal, () => Promise.resolve(MIX_TYPES));

  denominate = (request: DenominateRequest, signal: AbortSignal) =>
    this.command<Denomination>(signal, () => {
      this.assertUsable();
      return Promise.resolve(this.split(request));
    });

  dispense = (request: DispenseRequest, signal: AbortSignal) =>
    this.queue
      .run(signal, () => this.dispenseNow(request))
      .catch((err: unknown) => toFailure<CashDispenserErrorCode>(err) as DeviceResult<DispenseResult, CashDispenserErrorCode, DispenseResult>);

  present = (request: PositionRequest, signal: AbortSignal) =>
    this.command<PresentResult>(signal, async () => {
      this.assertUsable();
      this.position(request.position);
      if (this.view?.stacker === 'empty' || !this.inStacker()) refuse('noItems', 'the stacker is empty');
      const moved = await this.adapter.present();
      await this.afterMove(moved.fault);
      this.hub.emit('shutterStatusChanged', { position: OUT_DEFAULT, shutter: this.view?.shutter ?? 'unknown' });
      this.hub.emit('itemsPresented', { position: OUT_DEFAULT, additionalBunches: 0 });
      return { position: OUT_DEFAULT, numberOfItems: moved.count, additionalBunches: 0 };
    });

  reject = (_request: void, signal: AbortSignal) =>
    this.command<ItemsMoved>(signal, async () => {
      this.assertUsable();
      const notes = this.inStacker() ? this.notesOf(this.tx) : [];
      if (this.view?.stacker === 'empty') refuse('noItems', 'the stacker is empty');
      const moved = await this.adapter.reject();
      await this.afterMove(moved.fault);
      return { count: moved.count, unitId: this.rejectUnitId, notes: notes.slice(0, moved.count) };
    });

  retract = (request: RetractRequest, signal: AbortSignal) =>
    this.command<ItemsMoved, CashManagementErrorCode>(signal, async () => {
      this.assertUsable();
      if ((request.position ?? OUT_DEFAULT) !== OUT_DEFAULT) refuse('invalidRetractPosition', `no position ${request.position}`);
      if (!(this.adapter.retractAreas as readonly string[]).includes(request.retractArea)) {
        refuse('notRetractArea', `cannot retract to ${request.retractArea}`);
      }
      if (request.unitId !== undefined && request.unitId !== this.rejectUnitId) refuse('cashUnitError', `no retract unit ${request.unitId}`);
      const notes = this.notesOf(this.tx);
      const moved = await this.adapter.retract();
      await this.afterMove(moved.fault);
      this.hub.emit('shutterStatusChanged', { position: OUT_DEFAULT, shutter: this.view?.shutter ?? 'unknown' });
      return { count: moved.count, unitId: this.rejectUnitId, notes: notes.slice(0, moved.count) };
    });

  openShutter = (_request: PositionRequest, signal: AbortSignal) =>
    this.command<void, CashManagementErrorCode>(signal, () => Promise.reject(new DeviceError('unsupportedCommand', 'the dispenser drives its own exit')));

  closeShutter = (_request: PositionRequest, signal: AbortSignal) =>
    this.command<void, CashManagementErrorCode>(signal, () => Promise.reject(new DeviceError('unsupportedCommand', 'the dispenser drives its own exit')));

  reset = (request: ResetRequest, signal: AbortSignal) =>
    this.command<ItemsMoved, CashManagementErrorCode>(signal, async () => {
      if (this.offline) throw new DeviceError('deviceNotReady', 'dispenser is offline');
      if ((request.retractArea ?? 'reject') === 'retract' && !this.adapter.retractAreas.includes('retract')) {
        refuse('notRetractArea', 'no retract unit');
      }
      const notes = this.inStacker() || this.view?.exitOccupied ? this.notesOf(this.tx) : [];
      const moved = await this.adapter.reset();
      await this.afterMove(moved.fault);
      return { count: moved.count, unitId: this.rejectUnitId, notes: notes.slice(0, moved.count) };
    });

  getPresentStatus = (request: PresentStatusRequest, signal: AbortSignal) =>
    this.command<PresentStatus>(signal, async () => {
      this.assertOnline();
      this.position(request.position);
      const tx = await this.refreshTransaction();
      const dispensed = this.amountOf(tx?.notes ?? [], tx);
      const presented = tx && tx.presented > 0 ? dispensed : { ...dispensed, amount: 0 };
      const status: PresentStatus = {
        denomination: { amount: dispensed, counts: this.countsOf(tx) },
        presentState: !tx || tx.stage === 'stacked' || tx.stage === 'rejected' ? 'notPresented' : tx.stage === 'dispensing' ? 'unknown' : 'presented',
        presented,
        retracted: (tx?.retracted ?? 0) > 0,
      };
      if (request.nonce === undefined) return status;
      if (!/^[0-9A-F]{1,64}$/.test(request.nonce)) throw new DeviceError('invalidData', 'nonce must be upper-case hex');
      const signed = await this.adapter.presentStatusToken(request.nonce);
      if (signed.fault) throw faultError(signed.fault);
      return { ...status, token: signed.token };
    });

  getCommandNonce = (_request: void, signal: AbortSignal) =>
    this.command<{ readonly commandNonce: string }>(signal, async () => {
      this.assertOnline();
      const answer = await this.adapter.nonce();
      if (answer.fault) throw faultError(answer.fault);
      this.nonceOutstanding = true;
      return { commandNonce: answer.nonce };
    });

  clearCommandNonce = (_request: void, signal: AbortSignal) =>
    this.command<void>(signal, async () => {
      this.assertOnline();
      const answer = await this.adapter.clearNonce();
      if (answer.fault) throw faultError(answer.fault);
      this.dropNonce('cleared');
    });

  getLastTransaction = (_request: void, signal: AbortSignal) =>
    this.command<LastDispenseTransaction | undefined>(signal, async () => {
      this.assertOnline();
      const tx = await this.refreshTransaction();
      return tx && this.toLastTransaction(tx);
    });

  // ---- Storage exchange (replenishment) ----

  startExchange = (_request: void, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (this.exchange) storageRefuse('exchangeActive', 'an exchange is already active');
      this.exchange = true;
      return Promise.resolve(this.ledger.units());
    });

  setCashUnits = (request: Readonly<Record<string, CashUnitChange>>, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (!this.exchange) storageRefuse('noExchangeActive', 'start an exchange first');
      const initial = countsToSet(request, (unitId) => this.ledger.has(unitId));
      this.ledger.setInitial(initial);
      this.publish();
      return Promise.resolve(this.ledger.units());
    });

  endExchange = (_request: void, signal: AbortSignal) =>
    this.command<readonly CashUnit[], StorageErrorCode>(signal, () => {
      if (!this.exchange) storageRefuse('noExchangeActive', 'no exchange is active');
      this.exchange = false;
      this.publish();
      return Promise.resolve(this.ledger.units());
    });

  // ---- dispense ----

  private async dispenseNow(request: DispenseRequest): Promise<DeviceResult<DispenseResult, CashDispenserErrorCode, DispenseResult>> {
    this.assertUsable();
    this.position(request.position);
    if (this.view?.stacker !== 'empty' || this.view.exitOccupied) refuse('itemsLeft', 'items left in the stacker or exit');
    if (this.settings.tokensRequired && request.token === undefined) {
      // The firmware would refuse too; failing here spares the device a round trip.
      throw new DeviceError('invalidToken', 'a dispense token is required');
    }
    const denomination = this.split(request.denomination);
    const counts = this.options.cassettes.map((c) => denomination.counts[c.unitId] ?? 0);
    const total = counts.reduce((a, b) => a + b, 0);
    this.hub.emit('startDispense', { amount: denomination.amount });
    let report;
    try {
      report = await this.adapter.dispense(counts, request.token, this.settings.dispenseBaseMs + this.settings.perNoteMs * total);
    } catch (err) {
      this.unsettled = true;
      throw err;
    }
    if (report.fault?.kind === 'token') throw faultError(report.fault);
    const before = this.tx;
    const tx = await this.refreshTransaction();
    if (!tx || tx.dispenseId === before?.dispenseId) {
      if (report.fault) throw faultError(report.fault);
      throw new DeviceError('hardwareError', 'the dispenser kept no record of the dispense');
    }
    for (const { reason } of tx.rejectReasons) this.hub.emit('noteError', { reason });
    await this.poll();
    const result: DispenseResult = {
      denomination: { amount: this.amountOf(tx.notes, tx), counts: this.countsOf(tx) },
      notes: this.notesOf(tx),
      rejected: this.byUnit(tx.rejected),
      bunches: 1,
    };
    const delivered = report.delivered.reduce((a, b) => a + b, 0);
    if (!report.fault && delivered === total) return ok(result);
    this.hub.emit('incompleteDispense', { denomination: result.denomination });
    const failure = toFailure<CashDispenserErrorCode>(faultError(report.fault ?? { kind: 'pickFailure' }));
    return fail(failure.completionCode, failure.errorDescription, failure.errorCode, result);
  }

  // ---- helpers ----

  private command<T, E extends string = CashDispenserErrorCode>(signal: AbortSignal, body: () => Promise<T>): Promise<DeviceResult<T, E>> {
    return complete<T, E>(() => this.queue.run(signal, body));
  }

  private assertOnline(): void {
    if (this.offline) throw new DeviceError('deviceNotReady', 'dispenser is offline');
  }

  private assertUsable(): void {
    this.assertOnline();
    if (this.exchange) refuse('exchangeActive', 'the cash units are being replenished');
    if (this.view?.jammed) throw new DeviceError('hardwareError', 'dispenser is jammed; reset it');
  }

  private position(position: CashPosition | undefined): void {
    if ((position ?? OUT_DEFAULT) !== OUT_DEFAULT) refuse('unsupportedPosition', `no position ${position}`);
  }

  private split(request: DenominateRequest): Denomination {
    return denominate(request, this.usableUnits(), this.settings.maxDispenseItems);
  }

  /** Units as counted, with cassettes the device reports missing or empty taken out of the mix. */
  private usableUnits(): CashUnit[] {
    return this.ledger.units().map((unit) => {
      const index = this.options.cassettes.findIndex((c) => c.unitId === unit.id);
      const device = index < 0 ? undefined : this.view?.cassettes[index];
      if (device?.present === false) return { ...unit, status: 'missing' };
      return device?.level === 'empty' ? { ...unit, count: 0 } : unit;
    });
  }

  private inStacker(): boolean {
    return this.tx?.stage === 'stacked' || this.tx?.stage === 'dispensing';
  }

  private async afterMove(fault: DispenserFault | undefined): Promise<void> {
    await this.refreshTransaction();
    await this.poll();
    if (fault) throw faultError(fault);
  }

  private async refreshTransaction(): Promise<DeviceTransaction | undefined> {
    const tx = await this.adapter.transaction();
    const previous = this.tx;
    this.tx = tx;
    if ((previous?.stage === 'presented') !== (tx?.stage === 'presented')) this.polls.rearm();
    this.ledger.reconcile(tx);
    this.unsettled = false;
    // A quick customer may take the notes before the first read after present: any step to 'taken' counts.
    if (previous?.dispenseId === tx?.dispenseId && previous?.stage !== 'taken' && tx?.stage === 'taken') {
      this.hub.emit('itemsTaken', { position: OUT_DEFAULT, additionalBunches: 0 });
    }
    this.publish();
    return tx;
  }

  private notesOf(tx: DeviceTransaction | undefined): DispensedNote[] {
    return (tx?.notes ?? []).map((n) => {
      const cassette = this.options.cassettes[n.cassette] as CassetteConfig;
      return {
        unitId: cassette.unitId,
        currency: cassette.currency,
        value: cassette.value,
        ...(n.serialNumber === undefined ? {} : { serialNumber: n.serialNumber }),
      };
    });
  }

  private countsOf(tx: DeviceTransaction | undefined): UnitCounts {
    const counts: Record<string, number> = {};
    for (const note of this.notesOf(tx)) counts[note.unitId] = (counts[note.unitId] ?? 0) + 1;
    return counts;
  }

  private byUnit(perCassette: readonly number[]): UnitCounts {
    return Object.fromEntries(
      this.options.cassettes.map((c, i) => [c.unitId, perCassette[i] ?? 0] as const).filter(([, n]) => n > 0),
    );
  }

  private amountOf(notes: DeviceTransaction['notes'], tx: DeviceTransaction | undefined): Money {
    const currency = this.currencyOf(tx);
    const amount = notes.reduce((s, n) => s + (this.options.cassettes[n.cassette]?.value ?? 0), 0);
    return { currency, amount };
  }

  private currencyOf(tx: DeviceTransaction | undefined): string {
    const index = tx?.requested.findIndex((n) => n > 0) ?? -1;
    return this.options.cassettes[Math.max(index, 0)]?.currency ?? '';
  }

  private toLastTransaction(tx: DeviceTransaction): LastDispenseTransaction {
    const currency = this.currencyOf(tx);
    const requested = tx.requested.reduce((s, n, i) => s + n * (this.options.cassettes[i]?.value ?? 0), 0);
    const dispensed = this.amountOf(tx.notes, tx);
    return {
      dispenseId: tx.dispenseId,
      requested: { currency, amount: requested },
      outcome: tx.stage,
      interrupted: tx.interrupted,
      picked: this.byUnit(tx.picked),
      rejected: this.byUnit(tx.rejected),
      notes: this.notesOf(tx),
      dispensed,
      presented: tx.presented > 0 ? dispensed : { currency, amount: 0 },
      retracted: tx.retracted,
      ...(tx.tokenId === undefined ? {} : { tokenId: tx.tokenId }),
      startedAt: tx.startedAt,
      updatedAt: tx.updatedAt,
    };
  }

  private dropNonce(reason: 'cleared' | 'powerLoss'): void {
    if (!this.nonceOutstanding) return;
    this.nonceOutstanding = false;
    this.hub.emit('nonceCleared', { reason });
  }

  // ---- polling and status ----

  /** One status read; coming back online settles whatever happened while the device was away. */
  private async poll(): Promise<void> {
    const view = await this.adapter.status();
    const wasOffline = this.offline;
    this.view = view;
    this.missedPolls = 0;
    this.offline = false;
    this.options.cassettes.forEach((c, i) => this.ledger.setStatus(c.unitId, view.cassettes[i]?.present === false ? 'missing' : 'ok'));
    this.ledger.setStatus(this.rejectUnitId, view.rejectFull ? 'inoperative' : 'ok');
    if (wasOffline) {
      this.dropNonce('powerLoss');
      await this.refreshTransaction();
    } else if (this.unsettled || (this.tx?.stage === 'presented' && !view.exitOccupied)) {
      await this.refreshTransaction();
    }
    this.publish();
  }

  private missedPoll(): void {
    this.missedPolls += 1;
    if (this.missedPolls < this.settings.missedPollsOffline || this.offline) return;
    this.offline = true;
    this.publish();
  }

  private publish(): void {
    this.store.update(this.computeStatus());
  }

  private computeStatus(): CashDispenserStatus {
    const view = this.view;
    return {
      device: this.offline ? 'offline' : view?.jammed ? 'hardwareError' : 'online',
      devicePosition: 'inPosition',
      dispenser: this.moduleState(),
      intermediateStacker: !view ? 'unknown' : view.stacker === 'empty' ? 'empty' : view.stacker === 'unknown' ? 'notEmptyUnknown' : 'notEmpty',
      positions: [
        {
          position: OUT_DEFAULT,
          shutter: view?.shutter ?? 'unknown',
          positionStatus: !view ? 'unknown' : view.exitOccupied ? 'notEmpty' : 'empty',
          transport: view?.jammed ? 'inoperative' : 'ok',
          transportStatus: 'empty',
        },
      ],
      endToEndSecurity: this.settings.tokensRequired ? 'enforced' : 'notEnforced',
    };
  }

  private moduleState(): CashModuleState {
    if (!this.view) return 'unknown';
    const units = this.usableUnits();
    const payout = units.filter((u) => u.configuration.types.includes('cashOut'));
    if (this.view.rejectFull || !payout.some((u) => u.status === 'ok' && u.count > 0)) return 'stop';
    const degraded =
      payout.some((u) => u.status !== 'ok' || u.replenishmentStatus === 'low' || u.replenishmentStatus === 'empty') ||
      this.view.cassettes.some((c) => c.level !== 'ok');
    return degraded ? 'attention' : 'ok';
  }
}

/** The one mapping from a device's fault to an XFS4IoT completion. */
export function faultError(fault: DispenserFault): DeviceError<CashDispenserErrorCode> {
  switch (fault.kind) {
    case 'token':
      if (!TOKEN_COMPLETIONS.has(fault.code)) return new DeviceError('invalidToken', 'token refused');
      return new DeviceError(fault.code, `the dispenser refused the token (${fault.code})`);
    case 'pickFailure':
      return new DeviceError('commandErrorCode', 'a cassette stopped feeding', 'cashUnitError');
    case 'cassetteMissing':
      return new DeviceError('commandErrorCode', 'a requested cassette is missing', 'cashUnitError');
    case 'rejectBinFull':
      return new DeviceError('commandErrorCode', 'the reject bin is full', 'cashUnitError');
    case 'tooManyRejects':
      return new DeviceError('commandErrorCode', 'too many notes rejected', 'cashUnitError');
    case 'tooManyNotes':
      return new DeviceError('commandErrorCode', 'too many notes for one dispense', 'tooManyItems');
    case 'itemsLeft':
      return new DeviceError('commandErrorCode', 'notes left in the transport or exit', 'itemsLeft');
    case 'noItems':
      return new DeviceError('commandErrorCode', 'nothing to move', 'noItems');
    case 'jam':
      return new DeviceError('hardwareError', `notes jammed ${fault.where}`);
    case 'invalidCommand':
      return new DeviceError('invalidCommand', fault.description);
    case 'hardware':
      return new DeviceError('hardwareError', fault.description);
  }
}
