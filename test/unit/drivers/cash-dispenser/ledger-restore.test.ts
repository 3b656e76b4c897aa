import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DispenseOutcome } from '../../../../drivers/cash-dispenser/contract.js';
import type { DeviceTransaction } from '../../../../drivers/cash-dispenser/dispenser-core-adapter.js';
import { CashLedger } from '../../../../drivers/cash-dispenser/dispenser-core-ledger.js';
import { freshCounts } from '../../../../drivers/storage/accounting.js';
import type { CashUnitCounts, CountedRecord } from '../../../../drivers/storage/contract.js';

/*
 * The dispenser driver's counters restored after a restart from what the
 * kiosk's durable ledger kept (the counts and the record they include) must
 * go on exactly as if the process had never stopped — also when the last
 * device step before the power cut never reached the ledger.
 */

const CASSETTES = [
  { unitId: 'c100', currency: 'CNY', value: 10_000, initialCount: 50 },
  { unitId: 'c50', currency: 'CNY', value: 5_000, initialCount: 50 },
];
const REJECT = { unitId: 'reject', capacity: 100, initialCount: 0 };
const fresh = (): CashLedger => new CashLedger(CASSETTES, REJECT);

/** One dispense: picked and rejected per cassette, and the stages its record goes through. */
interface Dispense {
  readonly picked: readonly number[];
  readonly rejected: readonly number[];
  readonly stages: readonly DispenseOutcome[];
}

function record(id: number, d: Dispense, stage: DispenseOutcome): DeviceTransaction {
  const notes = d.picked.flatMap((p, cassette) =>
    Array.from({ length: p - (d.rejected[cassette] ?? 0) }, () => ({ cassette })),
  );
  const handedOut = stage === 'presented' || stage === 'taken' || stage === 'retracted';
  return {
    dispenseId: id,
    stage,
    interrupted: false,
    requested: d.picked.map((p, i) => p - (d.rejected[i] ?? 0)),
    picked: d.picked,
    rejected: d.rejected,
    rejectReasons: [],
    notes,
    presented: handedOut ? notes.length : 0,
    retracted: stage === 'retracted' ? notes.length : 0,
    startedAt: id,
    updatedAt: id,
  };
}

/** The device's record after each step, in order (what the driver reads after each cash command). */
function history(dispenses: readonly Dispense[], firstId: number): DeviceTransaction[] {
  return dispenses.flatMap((d, i) => d.stages.map((stage) => record(firstId + i, d, stage)));
}

const dispenseArb: fc.Arbitrary<Dispense> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })), { minLength: 2, maxLength: 2 })
  .chain((perCassette) =>
    fc
      .constantFrom<
        DispenseOutcome[]
      >(['stacked'], ['stacked', 'presented'], ['stacked', 'presented', 'taken'], ['stacked', 'presented', 'retracted'], ['stacked', 'rejected'], ['dispensing', 'stacked', 'presented', 'taken'])
      .map((stages) => ({
        picked: perCassette.map(([delivered, rejected]) => delivered + rejected),
        rejected: perCassette.map(([, rejected]) => rejected),
        stages,
      })),
  );

/** What the kiosk's ledger stores: counters and counted record, through JSON as in SQLite. */
function saved(ledger: CashLedger): { counts: Map<string, CashUnitCounts>; counted: CountedRecord | undefined } {
  const counts = new Map(ledger.units().map((u) => [u.id, u.counts] as const));
  return JSON.parse(JSON.stringify({ counts: [...counts], counted: ledger.counted() }), (key, value: unknown) =>
    key === 'counts' ? new Map(value as [string, CashUnitCounts][]) : value,
  ) as { counts: Map<string, CashUnitCounts>; counted: CountedRecord | undefined };
}

const countsOf = (ledger: CashLedger) => ledger.units().map((u) => [u.id, u.counts]);

describe('dispenser counters restored after a restart', () => {
  it('go on as if the process never stopped, whether or not the last step was saved', () => {
    fc.assert(
      fc.property(
        fc.option(dispenseArb, { nil: undefined }),
        fc.array(dispenseArb, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.boolean(),
        (before, dispenses, at, lostStep) => {
          // The record the device showed when the driver first started: the baseline.
          const startRecord = before && record(1, before, 'taken');
          const steps = history(dispenses, 2);
          const k = at % steps.length;

          const uninterrupted = fresh();
          uninterrupted.reconcile(startRecord);
          for (const tx of steps) uninterrupted.reconcile(tx);

          const first = fresh();
          first.reconcile(startRecord);
          for (const tx of steps.slice(0, k + 1)) first.reconcile(tx);
          const kept = saved(first);
          // The power cut: the device may have done one more step that the ledger never saw.
          const resumeAt = lostStep ? Math.min(k + 1, steps.length - 1) : k;

          const restarted = fresh();
          restarted.restore(kept.counts, kept.counted);
          for (const tx of steps.slice(resumeAt)) restarted.reconcile(tx);
          expect(countsOf(restarted)).toEqual(countsOf(uninterrupted));
        },
      ),
    );
  });

  it('follows a presented record that recovery retracts after the restart into the reject unit', () => {
    const d: Dispense = { picked: [2, 1], rejected: [0, 0], stages: [] };
    const first = fresh();
    first.reconcile(undefined);
    first.reconcile(record(7, d, 'presented'));
    const kept = saved(first);
    expect(kept.counted?.recordId).toBe(7);

    const restarted = fresh();
    restarted.restore(kept.counts, kept.counted);
    restarted.reconcile(record(7, d, 'presented'));
    restarted.reconcile(record(7, d, 'retracted'));
    const units = Object.fromEntries(restarted.units().map((u) => [u.id, u]));
    expect(units.c100?.count).toBe(48);
    expect(units.reject?.counts.in).toMatchObject({ retracted: 3, retractOperations: 1 });
    expect(units.reject?.count).toBe(3);
  });

  it('counts a dispense the saved counters never saw', () => {
    const first = fresh();
    first.reconcile(undefined);
    const kept = saved(first);
    expect(kept.counted).toEqual({});

    const restarted = fresh();
    restarted.restore(kept.counts, kept.counted);
    restarted.reconcile(record(1, { picked: [1, 1], rejected: [0, 0], stages: [] }, 'stacked'));
    expect(restarted.units().map((u) => u.count)).toEqual([49, 49, 0]);
  });

  it('without a counted record takes the record at start-up as included (after a replenishment, say)', () => {
    const restarted = fresh();
    restarted.restore(new Map([['c100', freshCounts(120)]]), undefined);
    restarted.reconcile(record(9, { picked: [3, 0], rejected: [0, 0], stages: [] }, 'taken'));
    expect(restarted.units().map((u) => u.count)).toEqual([120, 50, 0]);
  });

  it('refuses counters that cannot include the saved contribution, and a restore after the first read, changing nothing', () => {
    const ledger = fresh();
    const contribution = { c100: { out: { presented: 5 } } };
    expect(() => ledger.restore(new Map([['c100', freshCounts(3)]]), { recordId: 4, contribution })).toThrow(
      RangeError,
    );
    expect(ledger.counted()).toBeUndefined();
    expect(ledger.units().map((u) => u.count)).toEqual([50, 50, 0]);
    ledger.reconcile(undefined);
    expect(() => ledger.restore(new Map(), {})).toThrow(/before the first status read/);
  });
});
