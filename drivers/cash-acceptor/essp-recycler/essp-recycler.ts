import { DeviceError, fail } from '../../common/completion.js';
import type { DriverContext } from '../../common/device.js';
import type { ByteTransport } from '../../common/transport.js';
import type {
  CashDispenserErrorCode,
  CashDispenserStatus,
  DenominateRequest,
  Denomination,
  DispenseRequest,
  DispenseResult,
  ItemsMoved,
  LastDispenseTransaction,
  MixType,
  PositionRequest,
  PresentResult,
  PresentStatus,
} from '../../cash-dispenser/contract.js';
import type { BlockCipherFactory } from '../../protocols/essp/encryption.js';
import type { RecyclerCapabilities, RecyclerDevice, RecyclerEvents, RecyclerStatus } from '../contract.js';
import type { AcceptorEvent, AcceptorIdentity } from '../escrow-core-adapter.js';
import { EscrowCore, type EscrowCoreOptions } from '../escrow-core.js';
import { EsspAdapter } from './essp-adapter.js';
import { EsspLink } from './essp-link.js';

export interface EsspRecyclerOptions extends EscrowCoreOptions {
  /** Recycle stores by denomination, as the device reports them in Get All Levels. */
  readonly recyclers?: readonly { readonly currency: string; readonly value: number; readonly capacity?: number }[];
  /** GA138: 1000 ms. */
  readonly replyTimeoutMs?: number;
  /** Retransmissions per command; GA138 allows 20, default 3 to notice a dead device in seconds. */
  readonly retries?: number;
  readonly maxDispenseItems?: number;
}

/** Injected by the runtime: AES-128-ECB and randomness (no node:crypto in drivers). */
export interface EsspSecurity {
  readonly cipherFor: BlockCipherFactory;
  readonly random: (n: number) => Uint8Array;
}

const DEFAULT_RECYCLERS = [
  { currency: 'CNY', value: 5000, capacity: 40 },
  { currency: 'CNY', value: 10000, capacity: 40 },
];
const MIX: MixType = { mixNumber: 1, algorithm: 'minimumBills', name: 'largest notes first (device)' };

/**
 * ITL SMART Payout over eSSP as one XFS4IoT recycler: the acceptor side is
 * the shared escrow core; pay-out is the device's Payout Amount, which puts
 * notes straight into the bezel. `dispense` therefore checks with the test
 * option and holds the denomination; `present` pays it out.
 */
export class EsspRecycler extends EscrowCore<RecyclerStatus, RecyclerEvents> implements RecyclerDevice {
  private readonly essp: EsspAdapter;
  private readonly maxDispenseItems: number;
  private stacked: Denomination | undefined;
  private last: LastDispenseTransaction | undefined;
  private dispenseId = 0;

  constructor(
    context: DriverContext,
    transport: ByteTransport,
    security: EsspSecurity,
    options: EsspRecyclerOptions = {},
  ) {
    const link = new EsspLink(transport, context.clock, {
      replyTimeoutMs: options.replyTimeoutMs ?? 1000,
      retries: options.retries ?? 3,
      random: security.random,
    });
    const recyclers = options.recyclers ?? DEFAULT_RECYCLERS;
    const adapter = new EsspAdapter(link, security.cipherFor, security.random, recyclers);
    super(
      context,
      transport,
      adapter,
      options,
      recyclers.map((r, i) => ({
        id: `recycle${i + 1}`,
        position: `recycler${i + 1}`,
        types: ['recycle'],
        currency: r.currency,
        value: r.value,
        capacity: r.capacity ?? 0,
      })),
    );
    this.essp = adapter;
    this.maxDispenseItems = options.maxDispenseItems ?? 40;
  }

  getCapabilities(): RecyclerCapabilities {
    return {
      ...this.acceptorCapabilities(),
      maxDispenseItems: this.maxDispenseItems,
      outputPositions: ['outDefault'],
      endToEndSecurity: { required: false, commandNonceTimeout: 0 },
    };
  }

  protected extraStatus(): Pick<CashDispenserStatus, 'dispenser' | 'intermediateStacker' | 'endToEndSecurity'> {
    const payable = this.cashUnits().some((u) => u.configuration.types.includes('recycle') && u.count > 0);
    return {
      dispenser: this.condition.jammed || !payable ? 'stop' : 'ok',
      intermediateStacker: this.stacked ? 'notEmpty' : 'empty',
      endToEndSecurity: 'notSupported',
    };
  }

  protected async afterInitialise(_identity: AcceptorIdentity): Promise<void> {
    for (const level of await this.essp.levels()) {
      const unit = this.cashUnits().find(
        (u) => u.configuration.currency === level.currency && u.configuration.value === level.value,
      );
      if (unit) this.ledger.resync(unit.id, level.count);
    }
  }

  protected onModelEvent(_event: AcceptorEvent): void {
    // Payouts are counted when present succeeds; the Dispensed event only confirms them.
  }

  // ---- CashDispenserCommands ----

  getMixTypes = (_r: void, signal: AbortSignal) =>
    this.command<readonly MixType[], CashDispenserErrorCode>(signal, () => Promise.resolve([MIX]));

  denominate = (request: DenominateRequest, signal: AbortSignal) =>
    this.command<Denomination, CashDispenserErrorCode>(signal, () => this.plan(request));

  dispense = (request: DispenseRequest, signal: AbortSignal) =>
    this.command<DispenseResult, CashDispenserErrorCode>(signal, async () => {
      this.requireNoExchange();
      if (this.stacked || this.outputWaiting) refuseD('itemsLeft', 'notes wait in the bezel or are planned');
      if ((request.position ?? 'outDefault') !== 'outDefault') refuseD('unsupportedPosition', 'one bezel');
      const denomination = await this.plan(request.denomination);
      const answer = await this.essp.payout(denomination.amount.amount, denomination.amount.currency, true);
      if (answer !== 'ok')
        refuseD('notDispensable', `the device cannot pay ${denomination.amount.amount} now (${answer})`);
      this.stacked = denomination;
      this.record(denomination, 'stacked', 0);
      this.refresh();
      return { denomination, notes: [], rejected: {}, bunches: 1 };
    });

  present = (request: PositionRequest, signal: AbortSignal) =>
    this.command<PresentResult, CashDispenserErrorCode>(signal, async () => {
      this.requireNoExchange();
      const stacked = this.stacked;
      if (!stacked) refuseD('noItems', 'nothing dispensed');
      if ((request.position ?? 'outDefault') !== 'outDefault') refuseD('unsupportedPosition', 'one bezel');
      const answer = await this.essp.payout(stacked.amount.amount, stacked.amount.currency, false);
      if (answer !== 'ok') throw new DeviceError('hardwareError', `payout refused (${answer})`);
      this.stacked = undefined;
      for (const [unitId, n] of Object.entries(stacked.counts)) this.ledger.apply(unitId, { out: { presented: n } });
      const items = Object.values(stacked.counts).reduce((s, n) => s + n, 0);
      this.record(stacked, 'presented', stacked.amount.amount);
      this.presentToBezel();
      return { position: 'outDefault', numberOfItems: items, additionalBunches: 0 };
    });

  reject = (_r: void, signal: AbortSignal) =>
    this.command<ItemsMoved, CashDispenserErrorCode>(signal, () => {
      if (!this.stacked) refuseD('noItems', 'nothing dispensed');
      // The notes never left the recycler: forgetting the plan is all a reject needs.
      const count = Object.values(this.stacked.counts).reduce((s, n) => s + n, 0);
      this.record(this.stacked, 'rejected', 0);
      this.stacked = undefined;
      this.refresh();
      return Promise.resolve({ count, notes: [] });
    });

  getPresentStatus = (_r: unknown, signal: AbortSignal) =>
    this.command<PresentStatus, CashDispenserErrorCode>(signal, () => {
      const last = this.last;
      const zero = { currency: last?.requested.currency ?? 'CNY', amount: 0 };
      return Promise.resolve({
        denomination: { amount: last?.requested ?? zero, counts: last?.picked ?? {} },
        presentState: last ? (last.outcome === 'presented' ? 'presented' : 'notPresented') : 'unknown',
        presented: last?.presented ?? zero,
        retracted: false,
      });
    });

  getCommandNonce = (_r: void, _signal: AbortSignal) =>
    Promise.resolve(fail<CashDispenserErrorCode>('unsupportedCommand', 'the recycler has no end-to-end security'));
  clearCommandNonce = (_r: void, _signal: AbortSignal) =>
    Promise.resolve(fail<CashDispenserErrorCode>('unsupportedCommand', 'the recycler has no end-to-end security'));

  getLastTransaction = (_r: void, signal: AbortSignal) =>
    this.command<LastDispenseTransaction | undefined, CashDispenserErrorCode>(signal, () => Promise.resolve(this.last));

  // ---- internals ----

  /** Largest notes first over the recycle units (the device's own algorithm), or the caller's counts. */
  private plan(request: DenominateRequest): Promise<Denomination> {
    const recyclers = this.cashUnits().filter((u) => u.configuration.types.includes('recycle') && u.status === 'ok');
    if ('counts' in request) {
      let total = 0;
      let currency = request.amount?.currency ?? recyclers[0]?.configuration.currency ?? '';
      for (const [unitId, n] of Object.entries(request.counts)) {
        const unit = recyclers.find((u) => u.id === unitId);
        if (!unit || n > unit.count) refuseD('invalidDenomination', `unit ${unitId} cannot give ${n}`);
        total += n * unit.configuration.value;
        currency = unit.configuration.currency;
      }
      if (request.amount && request.amount.amount !== total)
        refuseD('invalidDenomination', 'counts do not make the amount');
      return Promise.resolve({ amount: { currency, amount: total }, counts: request.counts });
    }
    if (request.mixNumber !== MIX.mixNumber) refuseD('invalidMixNumber', `no mix ${request.mixNumber}`);
    const units = recyclers.filter((u) => u.configuration.currency === request.amount.currency);
    if (units.length === 0) refuseD('invalidCurrency', `no ${request.amount.currency} recycler`);
    let rest = request.amount.amount;
    const counts: Record<string, number> = {};
    for (const u of [...units].sort((a, b) => b.configuration.value - a.configuration.value)) {
      const n = Math.min(Math.floor(rest / u.configuration.value), u.count);
      if (n > 0) counts[u.id] = n;
      rest -= n * u.configuration.value;
    }
    if (rest !== 0) refuseD('notDispensable', `cannot make ${request.amount.amount} from the recyclers`);
    if (Object.values(counts).reduce((s, n) => s + n, 0) > this.maxDispenseItems)
      refuseD('tooManyItems', 'too many notes');
    return Promise.resolve({ amount: request.amount, counts });
  }

  private record(d: Denomination, outcome: LastDispenseTransaction['outcome'], presented: number): void {
    const now = this.clock.now();
    if (outcome === 'stacked') this.dispenseId += 1;
    this.last = {
      dispenseId: this.dispenseId,
      requested: d.amount,
      outcome,
      interrupted: false,
      picked: d.counts,
      rejected: {},
      notes: [],
      dispensed: d.amount,
      presented: { currency: d.amount.currency, amount: presented },
      retracted: 0,
      startedAt: this.last?.dispenseId === this.dispenseId ? this.last.startedAt : now,
      updatedAt: now,
    };
  }
}

function refuseD(errorCode: CashDispenserErrorCode, description: string): never {
  throw new DeviceError('commandErrorCode', description, errorCode);
}
