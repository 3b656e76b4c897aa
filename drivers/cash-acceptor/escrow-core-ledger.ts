import type {
  CashUnit,
  CashUnitConfiguration,
  CashUnitCounts,
  CountsDelta,
  StorageUnitStatus,
} from '../storage/contract.js';
import { addCounts, freshCounts, replenishmentStatus, unitCount } from '../storage/accounting.js';

/** A cash unit as an acceptor driver is configured with. */
export interface AcceptorUnitSetup {
  readonly id: string;
  readonly position: string;
  readonly types: CashUnitConfiguration['types'];
  readonly currency?: string;
  readonly value?: number;
  readonly capacity?: number;
  readonly initialCount?: number;
}

interface UnitState {
  readonly id: string;
  readonly position: string;
  status: StorageUnitStatus;
  readonly configuration: CashUnitConfiguration;
  counts: CashUnitCounts;
  /** The device says the unit is full whatever the count. */
  full: boolean;
}

/** The acceptor's cash units and their XFS4IoT counters, kept by the driver. */
export class AcceptorLedger {
  private readonly units = new Map<string, UnitState>();

  constructor(setups: readonly AcceptorUnitSetup[]) {
    for (const s of setups) {
      this.units.set(s.id, {
        id: s.id,
        position: s.position,
        status: 'ok',
        full: false,
        counts: freshCounts(s.initialCount ?? 0),
        configuration: {
          types: s.types,
          currency: s.currency ?? '',
          value: s.value ?? 0,
          capacity: s.capacity ?? 0,
          lowThreshold: 0,
          highThreshold: 0,
          appLockIn: false,
          appLockOut: false,
          maxRetracts: 0,
        },
      });
    }
  }

  list(): CashUnit[] {
    return [...this.units.values()].map((u) => {
      const count = unitCount(u.counts);
      return {
        id: u.id,
        position: u.position,
        status: u.status,
        configuration: u.configuration,
        counts: u.counts,
        count,
        replenishmentStatus: u.full ? 'full' : replenishmentStatus(count, u.configuration),
      };
    });
  }

  get(id: string): CashUnit | undefined {
    return this.list().find((u) => u.id === id);
  }

  apply(id: string, delta: CountsDelta): void {
    const u = this.units.get(id);
    if (u) u.counts = addCounts(u.counts, delta);
  }

  has(id: string): boolean {
    return this.units.has(id);
  }

  /** Counters kept across a restart replace the configured ones; units not named keep theirs. */
  restore(counts: Readonly<Record<string, CashUnitCounts>>): void {
    for (const [id, unitCounts] of Object.entries(counts)) {
      const u = this.units.get(id);
      if (u) u.counts = unitCounts;
    }
  }

  /** A replenishment: the unit now holds `initial` notes and its buckets start again from zero. */
  setInitial(id: string, initial: number): void {
    const u = this.units.get(id);
    if (u) u.counts = freshCounts(initial);
  }

  /** The device's own count wins when the driver starts (it kept counting while we were away). */
  resync(id: string, count: number): void {
    const u = this.units.get(id);
    if (u && unitCount(u.counts) !== count) u.counts = freshCounts(count);
  }

  setCondition(id: string, status: StorageUnitStatus, full: boolean): void {
    const u = this.units.get(id);
    if (!u) return;
    u.status = status;
    u.full = full;
  }
}
