import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { PollLoop } from '../../../../drivers/common/poll-loop.js';

async function step(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await tick();
  }
}

describe('PollLoop', () => {
  it('polls one at a time at the interval it reads each time, re-arms on demand, stops, and never runs twice', async () => {
    const clock = new ManualClock();
    let fast = false;
    let inFlight = 0;
    let maxInFlight = 0;
    const at: number[] = [];
    let release: (() => void) | undefined;
    let hold = false;
    const loop = new PollLoop(
      clock,
      () => (fast ? 20 : 100),
      async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        at.push(clock.monotonic());
        if (hold) await new Promise<void>((r) => (release = r));
        inFlight -= 1;
      },
    );
    const t0 = clock.monotonic();
    loop.start();
    loop.start(); // a reopen: still one loop
    await step(clock, 300);
    expect(at.map((t) => t - t0)).toEqual([100, 200, 300]);

    // Re-armed 30 ms into a slow period: the fast one counts from now.
    await step(clock, 30);
    fast = true;
    const rearmedAt = clock.monotonic();
    loop.rearm();
    await step(clock, 40);
    expect(at.slice(3).map((t) => t - rearmedAt)).toEqual([20, 40]);

    // A poll that takes long: the next waits for it, and re-arming meanwhile changes nothing.
    hold = true;
    await step(clock, 20);
    loop.rearm();
    await step(clock, 100);
    expect(inFlight).toBe(1);
    hold = false;
    release?.();
    await tick();
    const count = at.length;
    await step(clock, 20);
    expect(at.length).toBe(count + 1);
    expect(maxInFlight).toBe(1);

    loop.stop();
    await step(clock, 500);
    expect(at.length).toBe(count + 1);
  });
});
