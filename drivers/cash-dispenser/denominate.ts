/**
 * Pure mix algorithms: how many notes to take from each unit to pay an amount.
 * Shared by the in-memory dispenser, simulators and drivers whose firmware
 * leaves the mix to the host. Amounts and values are integer minor units.
 */

/** A unit the mix may draw from: its note value and how many notes it may give. */
export interface MixUnit {
  readonly id: string;
  readonly value: number;
  readonly count: number;
}

export type MixPolicy = 'minimumBills' | 'equalEmptying';

/** Why no mix: amount not a positive integer, no combination, or only with more than `maxItems` notes. */
export type MixFailure = 'invalidAmount' | 'notDispensable' | 'tooManyItems';

export type MixOutcome =
  | { readonly ok: true; readonly counts: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly reason: MixFailure };

/**
 * Splits `amount` over `units`.
 * - `minimumBills`: the fewest notes (exact, not greedy: 60 from 50s and 20s is 3×20).
 * - `equalEmptying`: note by note from the unit with the most notes left, so the
 *   units run down together; falls back to minimumBills when that needs more than
 *   `maxItems` notes.
 * The counts always sum to `amount` and never exceed a unit's `count`; units with
 * no notes taken are left out.
 */
export function mix(
  amount: number,
  units: readonly MixUnit[],
  policy: MixPolicy,
  maxItems = Number.POSITIVE_INFINITY,
): MixOutcome {
  if (!Number.isSafeInteger(amount) || amount <= 0) return { ok: false, reason: 'invalidAmount' };
  const usable = units.filter((u) => u.value > 0 && u.count > 0);
  const minimum = minimumNotes(amount, usable);
  if (!minimum) return { ok: false, reason: 'notDispensable' };
  if (total(minimum) > maxItems) return { ok: false, reason: 'tooManyItems' };
  if (policy === 'minimumBills') return { ok: true, counts: minimum };
  const even = equalEmptying(amount, usable);
  return { ok: true, counts: total(even) > maxItems ? minimum : even };
}

/** Exact fewest-notes mix by memoised search over (unit, remaining amount); undefined if none. */
function minimumNotes(amount: number, units: readonly MixUnit[]): Record<string, number> | undefined {
  if (units.length === 0 || amount % units.reduce((g, u) => gcd(g, u.value), 0) !== 0) return undefined;
  const sorted = [...units].sort((a, b) => b.value - a.value || a.id.localeCompare(b.id));
  interface Partial {
    readonly notes: number;
    readonly takes: readonly number[];
  }
  const memo = new Map<number, Partial | null>();
  const solve = (i: number, rest: number): Partial | null => {
    if (rest === 0) return { notes: 0, takes: [] };
    const unit = sorted[i];
    if (!unit) return null;
    const key = i * (amount + 1) + rest;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    // Later units are smaller, so at least ceil(rest / next value) more notes are needed.
    const nextValue = sorted[i + 1]?.value;
    let best: Partial | null = null;
    for (let take = Math.min(unit.count, Math.floor(rest / unit.value)); take >= 0; take--) {
      const left = rest - take * unit.value;
      const bound = left === 0 ? 0 : nextValue === undefined ? Infinity : Math.ceil(left / nextValue);
      if (best && take + bound >= best.notes) continue;
      const tail = solve(i + 1, left);
      if (tail && (!best || take + tail.notes < best.notes)) {
        best = { notes: take + tail.notes, takes: [take, ...tail.takes] };
      }
    }
    memo.set(key, best);
    return best;
  };
  const found = solve(0, amount);
  if (!found) return undefined;
  const counts: Record<string, number> = {};
  found.takes.forEach((take, i) => {
    const unit = sorted[i];
    if (unit && take > 0) counts[unit.id] = take;
  });
  return counts;
}

/** Called only when a mix exists; each step keeps the rest payable, so it always finishes. */
function equalEmptying(amount: number, units: readonly MixUnit[]): Record<string, number> {
  const left = new Map(units.map((u) => [u.id, u.count]));
  const counts: Record<string, number> = {};
  let rest = amount;
  while (rest > 0) {
    const candidates = units
      .filter((u) => (left.get(u.id) ?? 0) > 0 && u.value <= rest)
      .sort((a, b) => (left.get(b.id) ?? 0) - (left.get(a.id) ?? 0) || b.value - a.value);
    const chosen = candidates.find((c) => {
      if (rest === c.value) return true;
      const after = units.map((u) => ({ ...u, count: (left.get(u.id) ?? 0) - (u.id === c.id ? 1 : 0) }));
      return minimumNotes(rest - c.value, after.filter((u) => u.count > 0)) !== undefined;
    });
    if (!chosen) throw new Error('equalEmptying: lost feasibility (bug)');
    left.set(chosen.id, (left.get(chosen.id) ?? 0) - 1);
    counts[chosen.id] = (counts[chosen.id] ?? 0) + 1;
    rest -= chosen.value;
  }
  return counts;
}

function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
