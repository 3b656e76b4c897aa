import type { Unsubscribe } from '../../../drivers/common/events.js';

/** Remembers that a device event happened, so a waiter that starts late still sees it. */
export interface EventLatch {
  /** Resolves once the event has happened (at once if it already has); rejects when `signal` aborts. */
  wait(signal: AbortSignal): Promise<void>;
  /** Stops listening. */
  cancel(): void;
}

export function eventLatch<E extends string>(
  device: { on(type: E, listener: () => void): Unsubscribe },
  event: E,
): EventLatch {
  let happened = false;
  const waiters = new Set<() => void>();
  const off = device.on(event, () => {
    happened = true;
    off();
    for (const wake of waiters) wake();
  });
  return {
    wait(signal) {
      if (happened) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        signal.addEventListener(
          'abort',
          () => {
            waiters.delete(wake);
            reject(new Error(`wait for ${event} aborted`));
          },
          { once: true },
        );
      });
    },
    cancel: off,
  };
}
