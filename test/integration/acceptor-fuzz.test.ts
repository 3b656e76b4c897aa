import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CcnetAcceptor } from '../../drivers/cash-acceptor/ccnet/ccnet-acceptor.js';
import type { CashAcceptorDevice } from '../../drivers/cash-acceptor/contract.js';
import { EsspRecycler } from '../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import { aes128 } from '../../main/runtime/essp-security.js';
import { CCNET } from '../fixtures/ccnet/frames.js';
import { PLAIN } from '../fixtures/essp/frames.js';

const LINK = { pollIntervalMs: 10, replyTimeoutMs: 15, retries: 1, missedPollsOffline: 1, insertIdleMs: 50 };
const signal = (): AbortSignal => AbortSignal.timeout(2000);

/** Answers for the device: random bytes, and real frames cut short or with one bit flipped. */
const answers = (golden: readonly Uint8Array[]) =>
  fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(fc.constantFrom(...golden), fc.nat()).map(([g, n]) => g.slice(0, n % g.length)),
      fc.tuple(fc.constantFrom(...golden), fc.nat(), fc.integer({ min: 0, max: 7 })).map(([g, at, bit]) => {
        const c = g.slice();
        c[at % c.length] = c[at % c.length]! ^ (1 << bit);
        return c;
      }),
    ),
    { minLength: 1, maxLength: 8 },
  );

async function survives(
  make: (host: ReturnType<typeof createMemoryPipe>['host']) => CashAcceptorDevice,
  replies: Uint8Array[],
) {
  const pipe = createMemoryPipe('fuzz');
  await pipe.device.open();
  let i = 0;
  pipe.device.onData(() => void pipe.device.write(replies[i++ % replies.length]!));
  const device = make(pipe.host);
  const opened = await device.open(signal());
  expect(opened.completionCode).toBeDefined();
  const results = await Promise.all([
    device.cashInStart({}, signal()),
    device.getCashInStatus(undefined, signal()),
    device.reset({}, signal()),
  ]);
  for (const r of results) expect(r.completionCode).toBeDefined();
  await device.close();
  await pipe.device.close();
}

describe('acceptor drivers under a babbling device', () => {
  it('eSSP: random, truncated and corrupted answers never throw out of the driver or hang it', async () => {
    await fc.assert(
      fc.asyncProperty(answers([PLAIN.okReply, PLAIN.escrowCh3, PLAIN.failReply]), (replies) =>
        survives(
          (host) =>
            new EsspRecycler(
              { id: 'fuzz', clock: systemClock },
              host,
              { cipherFor: aes128, random: (n) => new Uint8Array(n) },
              LINK,
            ),
          replies,
        ),
      ),
      { numRuns: 15 },
    );
  });

  it('CCNET: random, truncated and corrupted answers never throw out of the driver or hang it', async () => {
    await fc.assert(
      fc.asyncProperty(answers([CCNET.ack, CCNET.nak, CCNET.poll]), (replies) =>
        survives((host) => new CcnetAcceptor({ id: 'fuzz', clock: systemClock }, host, LINK), replies),
      ),
      { numRuns: 15 },
    );
  });
});
