import type { Clock, TimerHandle } from '../../drivers/common/clock.js';

/**
 * The simulator's notion of time: a base Clock plus an offset the developer API can push forward,
 * so a 24-hour transfer delay can be crossed without waiting.
 */
export class ShiftableClock implements Clock {
  #offset = 0;

  constructor(private readonly base: Clock) {}

  get offsetMs(): number {
    return this.#offset;
  }

  advance(ms: number): void {
    this.#offset += ms;
  }

  now(): number {
    return this.base.now() + this.#offset;
  }

  monotonic(): number {
    return this.base.monotonic() + this.#offset;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(fn, ms);
  }

  clearTimeout(handle: TimerHandle): void {
    this.base.clearTimeout(handle);
  }
}
