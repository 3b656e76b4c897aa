import fc from 'fast-check';
import { expect } from 'vitest';
import type { CashDispenserDevice } from '../../drivers/cash-dispenser/contract.js';
import { ManualClock, type Clock } from '../../drivers/common/clock.js';
import { EventHub } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';

/** A transport whose "device" answers every write with the next fuzzed chunk. */
function noisyTransport(replies: readonly Uint8Array[]): ByteTransport {
  const hub = new EventHub<{ data: Uint8Array; close: Error | undefined }>();
  let next = 0;
  return {
    kind: 'memory',
    description: 'fuzz',
    isOpen: true,
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    onClose: (l) => hub.on('close', l),
    onData: (l) => hub.on('data', l),
    write: () => {
      const reply = replies[next++ % replies.length];
      if (reply) queueMicrotask(() => hub.emit('data', reply));
      return Promise.resolve();
    },
  };
}

/**
 * Fuzzes a dispenser driver with random replies (after a plausible first one):
 * every command must resolve with a completion — never reject, never hang — as
 * the ManualClock runs its timeouts out.
 */
export async function fuzzDispenserDriver(
  firstReply: Uint8Array,
  make: (clock: Clock, transport: ByteTransport) => CashDispenserDevice,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 48 }), { minLength: 1, maxLength: 8 }), async (replies) => {
      const clock = new ManualClock();
      const driver = make(clock, noisyTransport([firstReply, ...replies]));
      let settled = 0;
      const track = <T>(p: Promise<T>): Promise<T> => p.finally(() => (settled += 1));
      const signal = new AbortController().signal;
      const pending = [
        track(driver.open(signal)),
        track(driver.getLastTransaction(undefined, signal)),
        track(driver.getCommandNonce(undefined, signal)),
        track(driver.present({}, signal)),
      ];
      for (let i = 0; i < 2000 && settled < pending.length; i++) {
        await new Promise((r) => setImmediate(r));
        clock.advance(250);
      }
      expect(settled).toBe(pending.length);
      for (const result of await Promise.all(pending)) expect(typeof result.completionCode).toBe('string');
      await driver.close();
    }),
    { numRuns: 30 },
  );
}
