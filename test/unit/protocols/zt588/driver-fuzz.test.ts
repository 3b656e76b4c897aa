import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { DeviceResult } from '../../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../../drivers/common/memory-transport.js';
import { Zt588PinPad } from '../../../../drivers/pin-pad/zt588/zt588-pin-pad.js';
import { REPLIES } from '../../../fixtures/zt588/frames.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Drives `run` to completion on the manual clock; fails if it does not settle within `steps` ticks. */
async function settle<T>(clock: ManualClock, run: Promise<T>, steps = 200): Promise<T> {
  let done = false;
  const result = run.finally(() => (done = true));
  for (let i = 0; i < steps && !done; i++) {
    await flush();
    clock.advance(50);
  }
  expect(done).toBe(true);
  return result;
}

/** Replies that look plausible: golden frames, truncated or with a flipped byte, or pure noise. */
const reply = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(...Object.values(REPLIES)),
  fc
    .tuple(fc.constantFrom(...Object.values(REPLIES)), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean())
    .map(([frame, at, flip, truncate]) => {
      const bytes = frame.slice();
      const i = at % bytes.length;
      bytes[i] = (bytes[i] as number) ^ flip;
      return truncate ? bytes.slice(0, i) : bytes;
    }),
);

describe('ZT588 driver against a babbling device', () => {
  it('never throws and never hangs, whatever the device answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(reply, { maxLength: 16 }), async (replies) => {
        const clock = new ManualClock();
        const pipe = createMemoryPipe('zt588');
        await pipe.device.open();
        let n = 0;
        pipe.device.onData(() => {
          const bytes = replies[n++ % Math.max(1, replies.length)];
          if (bytes) void pipe.device.write(bytes);
        });
        const pad = new Zt588PinPad({ id: 'pinPad', clock }, pipe.host, {
          pollIntervalMs: 1_000_000,
          answerTimeoutMs: 100,
          retries: 1,
        });
        const results: DeviceResult<unknown, string>[] = [];
        const signal = new AbortController().signal;
        results.push(await settle(clock, pad.open(signal)));
        results.push(await settle(clock, pad.getKeyDetail({}, signal)));
        results.push(await settle(clock, pad.getPinBlock({ key: 'PIK', customerData: '4012345678909', format: 'iso0' }, signal)));
        results.push(
          await settle(clock, pad.importKey({ key: 'TMK', usage: 'K0', algorithm: 'tdes', value: new Uint8Array(16) }, signal)),
        );
        results.push(await settle(clock, pad.generateAuthentication({ key: 'MAK', data: new Uint8Array(500) }, signal)));
        results.push(
          await settle(clock, pad.cryptoData({ key: 'DSK', modeOfUse: 'D', cryptoMethod: 'ecb', data: new Uint8Array(32) }, signal)),
        );
        for (const r of results) expect(typeof r.completionCode).toBe('string');
        await pad.close();
      }),
      { numRuns: 60 },
    );
  });
});
