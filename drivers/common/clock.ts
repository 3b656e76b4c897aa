import { CanceledError } from './completion.js';

/** An opaque timer handle returned by `Clock.setTimeout`. */
export interface TimerHandle {
  readonly __timer: unique symbol;
}

/**
 * The only source of time. Every timed component (link layers, drivers,
 * simulators, machines, the journal) receives a Clock, so tests can run on a
 * manual clock and nothing reads wall time directly.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (wall time, for journal stamps). */
  now(): number;
  /** Monotonic milliseconds for measuring durations; never goes backwards. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock, backed by the host's timers. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => clearTimeout(handle as never),
};

/** Resolves after `ms` on `clock`; rejects with CanceledError when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CanceledError('sleep canceled'));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(new CanceledError('sleep canceled'));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to; for tests and deterministic simulators.
 * `advance` fires due timers in order, including timers they schedule.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly epoch: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(startEpochMs = Date.UTC(2026, 0, 1)) {
    this.epoch = startEpochMs;
    this.current = 0;
  }

  now(): number {
    return this.epoch + this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, due: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== (handle as unknown as number));
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.timers
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }

  /** Number of timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }
}
