import { addCounts, freshCounts, replenishmentStatus, unitCount } from '../storage/accounting.js';
import type { CashInCounts, CashOutCounts, CashUnit, CashUnitConfiguration, CashUnitCounts, StorageUnitStatus } from '../storage/contract.js';
import type { DeviceTransaction } from './dispenser-core-adapter.js';

/** One cassette as configured by the operator; its position in the list is its device position. */
export interface CassetteConfig {
  readonly unitId: string;
  readonly currency: string;
  /** Note value in minor units. */
  readonly value: number;
  readonly initialCount: number;
  readonly lowThreshold?: number;
  readonly capacity?: number;
}

export interface RejectUnitConfig {
  readonly unitId: string;
  readonly capacity: number;
  readonly initialCount: number;
}

type Contribution = ReadonlyMap<string, { readonly out?: Partial<CashOutCounts>; readonly in?: Partial<CashInCounts> }>;

/**
 * The cash-unit counters the dispenser keeps for its cassettes and reject bin,
 * derived from the device's own transaction record: one dispense contributes
 * stacked, presented or rejected notes depending on how far it got, and its
 * contribution is recomputed whenever the record changes (a present, a retract,
 * a recovery after a power cut) until the next dispense freezes it. The
 * record seen at start-up is the baseline: it is already in the initial counts.
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
    const contribution: Map<string, { readonly out?: Partial<CashOutCounts>; readonly in?: Partial<CashInCounts> }> = new Map(entries);
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
