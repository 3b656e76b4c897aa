import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCounts,
  cardUnitLimits,
  freshCounts,
  hasRoom,
  replenishmentStatus,
  unitCount,
} from '../../../../drivers/storage/accounting.js';

describe('unitCount', () => {
  it('is initial + in − out and ignores retract operations', () => {
    const counts = addCounts(freshCounts(100), {
      in: { retracted: 3, retractOperations: 1, deposited: 5 },
      out: { presented: 20, stacked: 4, rejected: 2 },
    });
    expect(unitCount(counts)).toBe(100 + 3 + 5 - 20 - 4 - 2);
  });

  it('keeps the total when a note moves between out buckets (stacked → presented)', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(100), (initial, moved) => {
        const stacked = addCounts(freshCounts(initial + moved), { out: { stacked: moved } });
        const presented = addCounts(stacked, { out: { stacked: -moved, presented: moved } });
        expect(unitCount(presented)).toBe(unitCount(stacked));
        expect(unitCount(presented)).toBe(initial);
      }),
    );
  });

  it('refuses a delta that drives a bucket negative', () => {
    expect(() => addCounts(freshCounts(10), { out: { stacked: -1 } })).toThrow(RangeError);
  });
});

describe('replenishmentStatus', () => {
  const limits = { capacity: 100, lowThreshold: 10, highThreshold: 90 };

  it.each([
    [0, 'empty'],
    [1, 'low'],
    [10, 'low'],
    [11, 'ok'],
    [89, 'ok'],
    [90, 'high'],
    [100, 'full'],
    [120, 'full'],
  ] as const)('count %i → %s', (count, expected) => {
    expect(replenishmentStatus(count, limits)).toBe(expected);
  });

  it('treats 0 limits as off', () => {
    expect(replenishmentStatus(5000, { capacity: 0, lowThreshold: 0, highThreshold: 0 })).toBe('ok');
  });

  it('applies a retain threshold upwards and a dispense threshold downwards', () => {
    expect(replenishmentStatus(20, cardUnitLimits('retain', 50, 20))).toBe('high');
    expect(replenishmentStatus(20, cardUnitLimits('dispense', 50, 20))).toBe('low');
    expect(replenishmentStatus(21, cardUnitLimits('dispense', 50, 20))).toBe('ok');
  });
});

describe('hasRoom', () => {
  it('compares count plus extra with capacity; capacity 0 is unlimited', () => {
    const unit = (count: number, capacity: number) => ({
      count,
      configuration: { capacity, lowThreshold: 0, highThreshold: 0 },
    });
    expect(hasRoom(unit(98, 100), 2)).toBe(true);
    expect(hasRoom(unit(98, 100), 3)).toBe(false);
    expect(hasRoom(unit(10_000, 0), 1000)).toBe(true);
  });
});
