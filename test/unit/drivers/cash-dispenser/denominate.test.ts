import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mix } from '../../../../drivers/cash-dispenser/denominate.js';
import type { MixUnit } from '../../../../drivers/cash-dispenser/denominate.js';

const VALUES = [10000, 5000, 2000, 1000, 500, 100] as const;

const unitsArb = fc
  .uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 4 })
  .chain((values) =>
    fc.tuple(...values.map((value, i) => fc.nat(6).map((count): MixUnit => ({ id: `unit${i + 1}`, value, count })))),
  );
const amountArb = fc.integer({ min: 1, max: 60 }).map((n) => n * 100);

/** Every way to pay, by brute force: the reference the algorithms are checked against. */
function fewestNotes(amount: number, units: readonly MixUnit[]): number | undefined {
  const [head, ...tail] = units;
  if (amount === 0) return 0;
  if (!head) return undefined;
  let best: number | undefined;
  for (let take = 0; take <= head.count && take * head.value <= amount; take++) {
    const rest = fewestNotes(amount - take * head.value, tail);
    if (rest !== undefined && (best === undefined || take + rest < best)) best = take + rest;
  }
  return best;
}

function checkMix(amount: number, units: readonly MixUnit[], counts: Readonly<Record<string, number>>): number {
  let sum = 0;
  let notes = 0;
  for (const [id, n] of Object.entries(counts)) {
    const unit = units.find((u) => u.id === id);
    expect(unit).toBeDefined();
    expect(Number.isInteger(n) && n > 0).toBe(true);
    expect(n).toBeLessThanOrEqual(unit?.count ?? 0);
    sum += n * (unit?.value ?? 0);
    notes += n;
  }
  expect(sum).toBe(amount);
  return notes;
}

describe('mix', () => {
  it('minimumBills: pays exactly, within unit counts, with the fewest notes, whenever any mix exists', () => {
    fc.assert(
      fc.property(amountArb, unitsArb, (amount, units) => {
        const reference = fewestNotes(amount, units);
        const outcome = mix(amount, units, 'minimumBills');
        if (reference === undefined) {
          expect(outcome).toEqual({ ok: false, reason: 'notDispensable' });
          return;
        }
        if (!outcome.ok) throw new Error(`no mix for ${amount} although one exists`);
        expect(checkMix(amount, units, outcome.counts)).toBe(reference);
      }),
    );
  });

  it('equalEmptying: pays exactly within unit counts whenever any mix exists', () => {
    fc.assert(
      fc.property(amountArb, unitsArb, (amount, units) => {
        const outcome = mix(amount, units, 'equalEmptying');
        expect(outcome.ok).toBe(fewestNotes(amount, units) !== undefined);
        if (outcome.ok) checkMix(amount, units, outcome.counts);
      }),
    );
  });

  it('refuses with tooManyItems exactly when the fewest notes exceed maxItems', () => {
    fc.assert(
      fc.property(amountArb, unitsArb, fc.integer({ min: 1, max: 10 }), (amount, units, maxItems) => {
        const reference = fewestNotes(amount, units);
        fc.pre(reference !== undefined);
        for (const policy of ['minimumBills', 'equalEmptying'] as const) {
          const outcome = mix(amount, units, policy, maxItems);
          if ((reference ?? 0) > maxItems) expect(outcome).toEqual({ ok: false, reason: 'tooManyItems' });
          else if (outcome.ok) expect(checkMix(amount, units, outcome.counts)).toBeLessThanOrEqual(maxItems);
          else throw new Error(`${policy} failed under maxItems`);
        }
      }),
    );
  });

  it('is not greedy: 60 yuan from 50s and 20s is three 20s', () => {
    const units = [
      { id: 'a', value: 5000, count: 10 },
      { id: 'b', value: 2000, count: 10 },
    ];
    expect(mix(6000, units, 'minimumBills')).toEqual({ ok: true, counts: { b: 3 } });
  });

  it('equalEmptying draws from the fullest unit first, minimumBills from the biggest note', () => {
    const units = [
      { id: 'hundreds', value: 10000, count: 5 },
      { id: 'fifties', value: 5000, count: 40 },
    ];
    expect(mix(20000, units, 'minimumBills')).toEqual({ ok: true, counts: { hundreds: 2 } });
    expect(mix(20000, units, 'equalEmptying')).toEqual({ ok: true, counts: { fifties: 4 } });
  });

  it('rejects amounts that are not positive integers', () => {
    const units = [{ id: 'a', value: 100, count: 10 }];
    for (const amount of [0, -100, 150.5, Number.NaN]) {
      expect(mix(amount, units, 'minimumBills')).toEqual({ ok: false, reason: 'invalidAmount' });
    }
  });

  it('ignores empty units and reports notDispensable when nothing can pay', () => {
    expect(mix(100, [{ id: 'a', value: 100, count: 0 }], 'minimumBills')).toEqual({ ok: false, reason: 'notDispensable' });
    expect(mix(150, [{ id: 'a', value: 100, count: 9 }], 'equalEmptying')).toEqual({ ok: false, reason: 'notDispensable' });
  });

  it('handles a large dispense quickly', () => {
    const units = VALUES.map((value, i) => ({ id: `u${i}`, value, count: 2000 }));
    // 19 999 yuan = 199×100 + 50 + 2×20 + 5 + 4×1
    expect(mix(1_999_900, units, 'minimumBills')).toEqual({ ok: true, counts: { u0: 199, u1: 1, u2: 2, u4: 1, u5: 4 } });
  });
});
