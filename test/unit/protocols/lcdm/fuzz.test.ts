import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { encodeFrame, scanFrame } from '../../../../drivers/protocols/lcdm/frame.js';
import { LcdmReplyDecoder } from '../../../../drivers/protocols/lcdm/stream-decoder.js';
import { fuzzDispenserDriver } from '../../../contract/cash-dispenser-fuzz.js';
import { REPLIES } from '../../../fixtures/lcdm/frames.js';

const printable = fc.uint8Array({ minLength: 0, maxLength: 40 }).map((a) => a.map((b) => 0x20 + (b % 0x5f)));

describe('LCDM codec under fuzzing', () => {
  it('never throws on random bytes, and every frame it returns is well formed', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const decoder = new LcdmReplyDecoder();
        for (const chunk of chunks) {
          for (const token of decoder.push(chunk)) {
            if (token.type === 'frame') expect(scanFrame(encodeFrame(token.frame), 'reply').status).toBe('complete');
          }
        }
      }),
    );
  });

  it('finds a real reply after garbage, truncation or corruption, however the bytes are split', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 30 }),
        fc.integer({ min: 0, max: REPLIES.status.length - 1 }),
        fc.integer({ min: 1, max: 7 }),
        printable,
        (noise, cut, step, data) => {
          const good = encodeFrame({ direction: 'reply', cmd: 0x50, data });
          const damaged = REPLIES.status.slice(0, cut);
          const stream = Uint8Array.from([...noise, ...damaged, ...good]);
          const decoder = new LcdmReplyDecoder();
          const tokens = [];
          for (let i = 0; i < stream.length; i += step) tokens.push(...decoder.push(stream.subarray(i, i + step)));
          const frames = tokens.filter((t) => t.type === 'frame');
          expect(frames.at(-1)).toEqual({ type: 'frame', frame: { direction: 'reply', cmd: 0x50, data } });
        },
      ),
    );
  });
});

describe('LCDM driver under fuzzed replies', () => {
  it('resolves every command, never throws and never hangs', async () => {
    await fuzzDispenserDriver(Uint8Array.of(0x06), (clock, transport) =>
      new Lcdm4000Dispenser({ id: 'cd', clock }, transport, {
        cassettes: [{ unitId: 'c1', currency: 'CNY', value: 10000, initialCount: 10 }],
        pollIntervalMs: 100,
      }),
    );
  });
});
