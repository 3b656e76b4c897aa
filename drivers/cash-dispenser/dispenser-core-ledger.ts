import { addCounts, freshCounts, replenishmentStatus, unitCount } from '../storage/accounting.js';
import type {
  CashInCounts,
  CashOutCounts,
  CashUnit,
  CashUnitConfiguration,
  CashUnitCounts,
  CountedRecord,
  CountsDelta,
  StorageUnitStatus,
} from '../storage/contract.js';
import type { DeviceTransaction } from './dispenser-core-adapter.js';

/** One cassette as configured by the operator; its position in the list is its device position. */
export interface CassetteConfig {
  readonly unitId: string;
  readonly currency: string;
  /** Note value in minor units. */
  readonly value: number;
  /** Notes loaded, for a unit the kiosk's durable ledger has never seen; otherwise its counters are restored. */
  readonly initialCount: number;
  readonly lowThreshold?: number;
  readonly capacity?: number;
}

export interface RejectUnitConfig {
  readonly unitId: string;
  readonly capacity: number;
  readonly initialCount: number;
}

type Contribution = ReadonlyMap<string, CountsDelta>;

/**
 * The cash-unit counters the dispenser keeps for its cassettes and reject bin,
 * derived from the device's own transaction record: one dispense contributes
 * stacked, presented or rejected notes depending on how far it got, and its
 * contribution is recomputed whenever the record changes (a present, a retract,
 * a recovery after a power cut) until the next dispense freezes it. The
 * record seen at start-up is the baseline: it is already in the initial counts
 * — unless counters kept across a restart were restored, which say themselves
 * which record they include.
 */
export class CashLedger {
  private committed: Map<string, CashUnitCounts>;
  private current: { readonly dispenseId: number; readonly contribution: Contribution } | undefined;
  private baselineId: number | undefined;
  private seen = false;
  private readonly status = new Map<string, StorageUnitStatus>();

  constructor(
    private readonly cassettes: readonly CassetteConfig[],
    private readonly reject: RejectUnitConfig,
  ) {
    this.committed = new Map([
      ...cassettes.map((c) => [c.unitId, freshCounts(c.initialCount)] as const),
      [reject.unitId, freshCounts(reject.initialCount)],
    ]);
  }

  /** Folds the device's record in; returns true when the counts changed. */
  reconcile(tx: DeviceTransaction | undefined): boolean {
    if (!this.seen) {
      this.seen = true;
      this.baselineId = tx?.dispenseId;
      return false;
    }
    if (!tx || tx.dispenseId === this.baselineId) return false;
    const contribution = this.contributionOf(tx);
    if (this.current && this.current.dispenseId !== tx.dispenseId) {
      this.committed = this.apply(this.committed, this.current.contribution);
    }
    const before = JSON.stringify([...(this.current?.contribution ?? [])]);
    this.current = { dispenseId: tx.dispenseId, contribution };
    return before !== JSON.stringify([...contribution]);
  }

  /** Whether a record with this id has already been counted (or is the baseline). */
  knows(dispenseId: number): boolean {
    return dispenseId === this.baselineId || dispenseId === this.current?.dispenseId;
  }

  /** Which record the counts include, and its contribution while it can still change; none before the first read. */
  counted(): CountedRecord | undefined {
    if (!this.seen) return undefined;
    const current = this.current;
    if (current) return { recordId: current.dispenseId, contribution: Object.fromEntries(current.contribution) };
    return this.baselineId === undefined ? {} : { recordId: this.baselineId };
  }

  /**
   * Starts from counters kept across a restart instead of the configured ones,
   * before the first reconcile. With `counted`, the device's record is judged
   * by it: the same record is followed on from what it contributed so far (a
   * recovery may still reject or retract its notes), another one is a dispense
   * the saved counters never saw and is counted. Without it the baseline rule
   * stands. Nothing changes when the counters cannot include that contribution.
   */
  restore(counts: ReadonlyMap<string, CashUnitCounts>, counted: CountedRecord | undefined): void {
    if (this.seen) throw new Error('counts can be restored only before the first status read');
    let committed = new Map(this.committed);
    for (const [unitId, unitCounts] of counts) if (committed.has(unitId)) committed.set(unitId, unitCounts);
    const contribution = counted?.contribution && new Map(Object.entries(counted.contribution));
    const live =
      contribution && counted?.recordId !== undefined ? { dispenseId: counted.recordId, contribution } : undefined;
    // The saved counters include the live record's contribution so far; it is recomputed from the record.
    if (live) committed = this.apply(committed, new Map([...live.contribution].map(([id, d]) => [id, negate(d)])));
    this.committed = committed;
    if (!counted) return;
    this.seen = true;
    this.current = live;
    this.baselineId = live ? undefined : counted.recordId;
  }

  has(unitId: string): boolean {
    return this.committed.has(unitId);
  }

  /**
   * A replenishment: each named unit now holds `initial` notes and its buckets
   * start again from zero. The last dispense is folded in and its record
   * becomes the baseline, so its notes are not counted a second time.
   */
  setInitial(initial: Readonly<Record<string, number>>): void {
    if (this.current) {
      this.committed = this.apply(this.committed, this.current.contribution);
      this.baselineId = this.current.dispenseId;
      this.current = undefined;
    }
    for (const [unitId, count] of Object.entries(initial)) this.committed.set(unitId, freshCounts(count));
  }

  setStatus(unitId: string, status: StorageUnitStatus): boolean {
    if ((this.status.get(unitId) ?? 'ok') === status) return false;
    this.status.set(unitId, status);
    return true;
  }

  units(): CashUnit[] {
    const counts = this.current ? this.apply(this.committed, this.current.contribution) : this.committed;
    const cassetteUnits = this.cassettes.map((c, i) =>
      view(c.unitId, `cassette${i + 1}`, this.status.get(c.unitId) ?? 'ok', counts.get(c.unitId) as CashUnitCounts, {
        types: ['cashOut'],
        currency: c.currency,
        value: c.value,
        capacity: c.capacity ?? 0,
        lowThreshold: c.lowThreshold ?? 0,
      }),
    );
    const rejectUnit = view(this.reject.unitId, 'rejectBin', this.status.get(this.reject.unitId) ?? 'ok', counts.get(this.reject.unitId) as CashUnitCounts, {
      types: ['reject', 'retract'],
      currency: '',
      value: 0,
      capacity: this.reject.capacity,
      lowThreshold: 0,
    });
    return [...cassetteUnits, rejectUnit];
  }

  private contributionOf(tx: DeviceTransaction): Contribution {
    const stacked = tx.stage === 'dispensing' || tx.stage === 'stacked';
    const handedOut = tx.stage === 'presented' || tx.stage === 'taken' || tx.stage === 'retracted';
    const rejectedAll = tx.stage === 'rejected';
    const entries = this.cassettes.map((c, i) => {
      const delivered = (tx.picked[i] ?? 0) - (tx.rejected[i] ?? 0);
      const out: Partial<CashOutCounts> = {
        stacked: stacked ? delivered : 0,
        presented: handedOut ? delivered : 0,
        rejected: (tx.rejected[i] ?? 0) + (rejectedAll ? delivered : 0),
      };
      return [c.unitId, { out }] as const;
    });
    const rejectedNotes = tx.rejected.reduce((a, b) => a + b, 0) + (rejectedAll ? tx.notes.length : 0);
    const into: Partial<CashInCounts> = {
      rejected: rejectedNotes,
      retracted: tx.retracted,
      retractOperations: tx.retracted > 0 ? 1 : 0,
    };
    const contribution: Map<string, CountsDelta> = new Map(entries);
    contribution.set(this.reject.unitId, { in: into });
    return contribution;
  }

  private apply(base: ReadonlyMap<string, CashUnitCounts>, contribution: Contribution): Map<string, CashUnitCounts> {
    const next = new Map(base);
    for (const [unitId, delta] of contribution) {
      next.set(unitId, addCounts(next.get(unitId) ?? freshCounts(0), delta));
    }
    return next;
  }
}

function negate(delta: CountsDelta): CountsDelta {
  const minus = <B extends object>(buckets: Partial<B>): Partial<B> =>
    Object.fromEntries(Object.entries(buckets).map(([k, v]) => [k, -(v as number)])) as Partial<B>;
  return { in: minus(delta.in ?? {}), out: minus(delta.out ?? {}) };
}

function view(
  id: string,
  position: string,
  status: StorageUnitStatus,
  counts: CashUnitCounts,
  config: Pick<CashUnitConfiguration, 'types' | 'currency' | 'value' | 'capacity' | 'lowThreshold'>,
): CashUnit {
  const configuration: CashUnitConfiguration = {
    ...config,
    highThreshold: 0,
    appLockIn: false,
    appLockOut: false,
    maxRetracts: 0,
  };
  const count = unitCount(counts);
  return { id, position, status, configuration, counts, count, replenishmentStatus: replenishmentStatus(count, configuration) };
}
