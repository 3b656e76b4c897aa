import { describe, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../../drivers/common/memory-transport.js';
import { DEV_HOST_KEY } from '../../../../simulators/dispenser-core/dispenser-sim.js';
import { Lcdm4000Simulator } from '../../../../simulators/dispenser-lcdm4000/lcdm-sim.js';
import { authorise, CNY } from '../../../contract/cash-dispenser.contract.js';
import { DRIVER_OPTIONS, SIM_CONFIG } from '../../../integration/dispenser-rig.js';
import { runOn } from '../card-reader/creator/manual-run.js';

const signal = (): AbortSignal => new AbortController().signal;
const EOT = 0x04;

describe('dispenser core: watching for the take', () => {
  it('polls at the take-watch cadence only while presented notes wait, and sees the take within one period', async () => {
    const clock = new ManualClock();
    const pipe = createMemoryPipe('lcdm');
    const sim = new Lcdm4000Simulator('cashDispenser', { ...SIM_CONFIG, clock, pickMs: 0 });
    await sim.attach(pipe.device);
    const commandsAt: number[] = [];
    pipe.device.onData((chunk) => {
      if (chunk[0] === EOT) commandsAt.push(clock.monotonic());
    });
    const dispenser = new Lcdm4000Dispenser({ id: 'cashDispenser', clock }, pipe.host, {
      ...DRIVER_OPTIONS,
      pollIntervalMs: 500,
      takeWatchIntervalMs: 50,
    });
    let takenAt: number | undefined;
    dispenser.on('itemsTaken', () => (takenAt = clock.monotonic()));
    const settle = async <T>(promise: Promise<T>): Promise<T> => {
      const outcome = await runOn(clock, promise, 5);
      if (!outcome || 'error' in outcome)
        throw new Error(`did not settle: ${String(outcome && 'error' in outcome ? outcome.error : 'hung')}`);
      return outcome.value;
    };
    const countOver = async (ms: number): Promise<number> => {
      const from = clock.monotonic();
      await settle(new Promise<void>((resolve) => clock.setTimeout(resolve, ms)));
      return commandsAt.filter((at) => at > from).length;
    };

    expect((await settle(dispenser.open(signal()))).completionCode).toBe('success');
    // Idle: the ordinary cadence, one status read each 500 ms.
    expect(await countOver(1000)).toBeLessThanOrEqual(3);

    const token = await settle(authorise(dispenser, Buffer.from(DEV_HOST_KEY, 'hex'), 100));
    expect(
      (await settle(dispenser.dispense({ denomination: { amount: CNY(100), mixNumber: 1 }, token }, signal())))
        .completionCode,
    ).toBe('success');
    expect((await settle(dispenser.present({}, signal()))).completionCode).toBe('success');
    // Notes in the exit: watched every 50 ms.
    expect(await countOver(500)).toBeGreaterThanOrEqual(8);

    const before = clock.monotonic();
    sim.control('takeNotes', {});
    await settle(
      new Promise<void>((resolve) => {
        const check = (): void => (takenAt === undefined ? void clock.setTimeout(check, 5) : resolve());
        check();
      }),
    );
    expect((takenAt ?? Infinity) - before).toBeLessThanOrEqual(60);

    // Taken: back to the ordinary cadence.
    expect(await countOver(1000)).toBeLessThanOrEqual(3);
    await dispenser.close();
  });
});
