import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../../drivers/common/clock.js';
import { COMPLETION_CODES } from '../../../../drivers/common/completion.js';
import { createMemoryPipe } from '../../../../drivers/common/memory-transport.js';
import { EscPosPrinter, type EscPosModel } from '../../../../drivers/printer/escpos/escpos-printer.js';

const signal = (): AbortSignal => new AbortController().signal;

/**
 * A "printer" that answers every request with the next chunk of random bytes:
 * truncated or corrupted status answers, stray full-status headers, noise.
 * Every command must still resolve with a completion, never reject or hang.
 */
async function runAgainstGarbage(model: EscPosModel, chunks: Uint8Array[]): Promise<void> {
  const pipe = createMemoryPipe('garbage');
  await pipe.device.open();
  let next = 0;
  pipe.device.onData(() => {
    const chunk = chunks[next++ % chunks.length];
    if (chunk && chunk.length > 0) void pipe.device.write(chunk);
  });
  const printer = new EscPosPrinter({ id: 'p', clock: systemClock }, pipe.host, {
    model,
    pollIntervalMs: 60_000,
    answerTimeoutMs: 5,
    presenterMoveMs: 10,
  });
  const results = [
    await printer.open(signal()),
    await printer.refreshStatus(undefined, signal()),
    await printer.printRaw({ data: Uint8Array.of(0x41, 0x0a) }, signal()),
    await printer.controlMedia({ cut: true, move: 'eject' }, signal()),
    await printer.controlMedia({ cut: false, move: 'retract' }, signal()),
    await printer.refreshStatus(undefined, signal()),
  ];
  await printer.close();
  for (const result of results) expect(COMPLETION_CODES).toContain(result.completionCode);
  expect(['online', 'offline', 'hardwareError']).toContain(printer.getStatus().device);
}

describe('ESC/POS driver fed garbage', () => {
  for (const model of ['generic', 'vkp80'] as const) {
    it(`${model}: never throws, never hangs`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 8 }), (chunks) =>
          runAgainstGarbage(model, chunks),
        ),
        { numRuns: 40 },
      );
    });
  }
});
