import { pathToFileURL } from 'node:url';
import { startKioskHarness } from '../integration/support/kiosk-harness.js';
import { InstantCustomer, LineMonitor } from './support/instant-customer.js';
import { quantile } from './support/stats.js';

/**
 * Software overhead of a full withdrawal, card in to card out: the whole kiosk
 * in one process (runtime, every simulator on its socat pty pair, the host
 * simulator on loopback TCP, durable journal and cash ledger), with a customer
 * who acts the instant the kiosk asks and simulators that answer at once (a pty
 * has no wire time, the simulated mechanics no travel time). What remains of
 * the wall time is software: ours plus the simulators', socat's and the
 * kernel's, so the figure is an upper bound on ours.
 *
 * Each round is a fresh kiosk; its 50 notes of 100 CNY pay `perRound`
 * withdrawals of one note each. The first withdrawals of a round warm it up
 * and are not counted.
 */
export interface WithdrawalBench {
  readonly samples: number;
  /** Software overhead: wall time less the devices' polling cadence. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Wall time card in to card out, polling cadence included. */
  readonly wallP50Ms: number;
  readonly wallP99Ms: number;
  /** Each step's p50 and p99, to show where the time goes. */
  readonly stepsMs: Readonly<Record<string, { p50: number; p99: number }>>;
}

export async function benchWithdrawal(
  options: { rounds?: number; perRound?: number; warmup?: number } = {},
): Promise<WithdrawalBench> {
  const { rounds = 5, perRound = 45, warmup = 5 } = options;
  const totals: number[] = [];
  const walls: number[] = [];
  const steps = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    const monitor = new LineMonitor();
    const kiosk = await startKioskHarness({}, undefined, { mechanics: 'instant', tap: monitor.tap });
    try {
      if (!(await kiosk.runtime.whenInService(10_000))) throw new Error('the kiosk did not come into service');
      const customer = new InstantCustomer(kiosk, monitor);
      for (let i = 0; i < perRound; i++) {
        const timing = await customer.withdraw(10_000);
        if (i < warmup) continue;
        totals.push(timing.totalMs - timing.pollWaitMs);
        walls.push(timing.totalMs);
        for (const [step, ms] of timing.steps) steps.set(step, [...(steps.get(step) ?? []), ms]);
      }
    } finally {
      await kiosk.stop();
    }
  }
  return {
    samples: totals.length,
    p50Ms: quantile(totals, 0.5),
    p99Ms: quantile(totals, 0.99),
    maxMs: Math.max(...totals),
    wallP50Ms: quantile(walls, 0.5),
    wallP99Ms: quantile(walls, 0.99),
    stepsMs: Object.fromEntries(
      [...steps].map(([step, list]) => [step, { p50: round2(quantile(list, 0.5)), p99: round2(quantile(list, 0.99)) }]),
    ),
  };
}

const round2 = (ms: number): number => Math.round(ms * 100) / 100;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchWithdrawal(), null, 2)}\n`);
}
