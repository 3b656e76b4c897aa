import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CreatorCardReader } from '../../../../../drivers/card-reader/creator/creator-card-reader.js';
import { ManualClock } from '../../../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../../../drivers/common/memory-transport.js';
import { CreatorCardReaderSimulator } from '../../../../../simulators/card-reader-creator/creator-card-reader-sim.js';
import { runOn } from './manual-run.js';

const signal = (): AbortSignal => new AbortController().signal;
const STX = 0xf2;

/** Moves the clock `ms` in 10 ms steps, letting the pipe's I/O run between steps. */
async function elapse(clock: ManualClock, ms: number, until?: () => boolean): Promise<number> {
  for (let t = 0; t < ms; t += 10) {
    await tick();
    if (until?.()) return t;
    clock.advance(10);
  }
  await tick();
  return ms;
}

describe('Creator reader: watching for the take', () => {
  it('polls at the take-watch cadence only while a card waits at the gate, and sees the take within one period', async () => {
    const clock = new ManualClock();
    const pipe = createMemoryPipe('creator');
    const sim = new CreatorCardReaderSimulator();
    await sim.attach(pipe.device);
    const commandsAt: number[] = [];
    pipe.device.onData((chunk) => {
      if (chunk[0] === STX) commandsAt.push(clock.monotonic());
    });
    const reader = new CreatorCardReader({ id: 'cardReader', clock }, pipe.host, { pollIntervalMs: 300, takeWatchIntervalMs: 50 });
    let removedAt: number | undefined;
    reader.on('mediaRemoved', () => (removedAt = clock.monotonic()));
    expect(await runOn(clock, reader.open(signal()))).toMatchObject({ value: { completionCode: 'success' } });

    const read = reader.readRawData({ track2: true }, signal());
    await elapse(clock, 20);
    sim.control('insertCard', { track2: '4761739001010010=2512' });
    expect(await runOn(clock, read)).toMatchObject({ value: { completionCode: 'success' } });
    const countFrom = (t: number): number => commandsAt.filter((at) => at > t).length;

    // Inside the reader: the ordinary cadence.
    let from = clock.monotonic();
    await elapse(clock, 600);
    expect(countFrom(from)).toBeLessThanOrEqual(2);

    expect(await runOn(clock, reader.move({ to: 'exit' }, signal()))).toMatchObject({ value: { completionCode: 'success' } });
    from = clock.monotonic();
    await elapse(clock, 600);
    expect(countFrom(from)).toBeGreaterThanOrEqual(10);

    const takenAt = clock.monotonic();
    sim.control('takeCard', {});
    await elapse(clock, 300, () => removedAt !== undefined);
    expect(removedAt).toBeDefined();
    expect((removedAt ?? Infinity) - takenAt).toBeLessThanOrEqual(60);

    // The card is gone: back to the ordinary cadence.
    from = clock.monotonic();
    await elapse(clock, 600);
    expect(countFrom(from)).toBeLessThanOrEqual(2);
    await reader.close();
  });
});
