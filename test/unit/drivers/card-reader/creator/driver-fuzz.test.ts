import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreatorCardReader } from '../../../../../drivers/card-reader/creator/creator-card-reader.js';
import { ManualClock } from '../../../../../drivers/common/clock.js';
import { COMPLETION_CODES } from '../../../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../../../drivers/common/memory-transport.js';
import { runOn } from './manual-run.js';

const signal = (): AbortSignal => new AbortController().signal;
/** Byte soup biased towards what the link reacts to: control bytes, STX, ETX and the reply marks. */
const noisyByte = fc.oneof(fc.constantFrom(0x06, 0x15, 0x05, 0xf2, 0x03, 0x00, 0x50, 0x4e, 0x31, 0x30), fc.integer({ min: 0, max: 255 }));

describe('Creator driver against a misbehaving device', () => {
  it('completes every command with a completion code, never throwing or hanging', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(noisyByte, { maxLength: 40 }), { minLength: 1, maxLength: 8 }), async (answers) => {
        const clock = new ManualClock();
        const pipe = createMemoryPipe('fuzz');
        await pipe.device.open();
        let turn = 0;
        pipe.device.onData(() => {
          void pipe.device.write(Uint8Array.from(answers[turn++ % answers.length] ?? []));
        });
        const reader = new CreatorCardReader({ id: 'fuzz', clock }, pipe.host, { pollIntervalMs: 200 });
        const commands: (() => Promise<{ completionCode: string }>)[] = [
          () => reader.open(signal()),
          () => reader.move({ to: 'exit' }, signal()),
          () => reader.reset({ to: 'retain' }, signal()),
          () => reader.chipPower({ action: 'cold' }, signal()),
        ];
        for (const command of commands) {
          const outcome = await runOn(clock, command(), 50, 120_000);
          expect(outcome, 'command hung').toBeDefined();
          if (!outcome || 'error' in outcome) throw new Error(`command rejected: ${String(outcome && 'error' in outcome ? outcome.error : '')}`);
          expect(COMPLETION_CODES).toContain(outcome.value.completionCode);
        }
        await reader.close();
        expect(['online', 'offline', 'hardwareError']).toContain(reader.getStatus().device);
      }),
      { numRuns: 40 },
    );
  });
});
