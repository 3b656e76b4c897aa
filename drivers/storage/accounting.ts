import type {
  CardUnitType,
  CashInCounts,
  CashOutCounts,
  CashUnitCounts,
  CountsDelta,
  ReplenishmentStatus,
  UnitLimits,
} from './contract.js';

/**
 * Pure cash-unit accounting: the one place that says how a count is derived
 * and when a unit is low, high, full or empty.
 */

const ZERO_IN: CashInCounts = {
  retractOperations: 0,
  deposited: 0,
  retracted: 0,
  rejected: 0,
  distributed: 0,
  transport: 0,
};

const ZERO_OUT: CashOutCounts = {
  presented: 0,
  rejected: 0,
  distributed: 0,
  unknown: 0,
  stacked: 0,
  diverted: 0,
  transport: 0,
};

/** Counters right after an exchange that loaded `initial` items. */
export function freshCounts(initial: number): CashUnitCounts {
  return { initial, in: ZERO_IN, out: ZERO_OUT };
}

/** Items in the unit: initial + in − out. `retractOperations` counts operations, not items. */
export function unitCount(counts: CashUnitCounts): number {
  const { retractOperations: _operations, ...inItems } = counts.in;
  return counts.initial + sum(Object.values(inItems)) - sum(Object.values(counts.out));
}

/**
 * Applies a delta bucket by bucket. Throws RangeError when a bucket would go
 * negative: that is a bookkeeping bug, not a device fault.
 */
export function addCounts(counts: CashUnitCounts, delta: CountsDelta): CashUnitCounts {
  return {
    initial: counts.initial,
    in: addBuckets(counts.in, delta.in ?? {}),
    out: addBuckets(counts.out, delta.out ?? {}),
  };
}

/**
 * empty at 0, then full (≥ capacity), high (≥ highThreshold), low (≤ lowThreshold),
 * else ok. A limit of 0 is off, so an unlimited unit never reports full or high.
 */
export function replenishmentStatus(count: number, limits: UnitLimits): ReplenishmentStatus {
  if (count <= 0) return 'empty';
  if (limits.capacity > 0 && count >= limits.capacity) return 'full';
  if (limits.highThreshold > 0 && count >= limits.highThreshold) return 'high';
  if (count <= limits.lowThreshold) return 'low';
  return 'ok';
}

/** Whether `extra` more items fit; a unit of unknown capacity (0) always has room. */
export function hasRoom(unit: { readonly count: number; readonly configuration: UnitLimits }, extra: number): boolean {
  return unit.configuration.capacity === 0 || unit.count + extra <= unit.configuration.capacity;
}

/** Card units fill (retain, park) or drain (dispense); the threshold applies in that direction. */
export function cardUnitLimits(type: CardUnitType, capacity: number, threshold: number): UnitLimits {
  return type === 'dispense'
    ? { capacity, lowThreshold: threshold, highThreshold: 0 }
    : { capacity, lowThreshold: 0, highThreshold: threshold };
}

function addBuckets<B extends object>(base: B, delta: Partial<B>): B {
  const next = { ...base } as Record<string, number>;
  for (const [key, change] of Object.entries(delta) as [string, number | undefined][]) {
    const value = (next[key] ?? 0) + (change ?? 0);
    if (value < 0) throw new RangeError(`count bucket ${key} would go negative (${value})`);
    next[key] = value;
  }
  return next as B;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
