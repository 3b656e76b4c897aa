import { setImmediate as tick } from 'node:timers/promises';
import type { ManualClock } from '../../../../../drivers/common/clock.js';

export type Outcome<T> = { readonly value: T } | { readonly error: unknown };

/**
 * Drives a promise on a ManualClock: lets pending I/O callbacks run, then moves
 * the clock, until the promise settles. Undefined means it hung for `maxMs`.
 */
export async function runOn<T>(clock: ManualClock, promise: Promise<T>, stepMs = 10, maxMs = 30_000): Promise<Outcome<T> | undefined> {
  let outcome: Outcome<T> | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let elapsed = 0; elapsed <= maxMs; elapsed += stepMs) {
    await tick();
    if (outcome) return outcome;
    clock.advance(stepMs);
  }
  return undefined;
}
