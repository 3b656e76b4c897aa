import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KioskConfig } from '../../main/runtime/config.js';
import { DEMO_CARD, startKioskHarness } from '../integration/support/kiosk-harness.js';
import { InstantCustomer, LineMonitor } from './support/instant-customer.js';

/**
 * Memory over 10,000 transactions: the whole kiosk in one process (runtime and
 * every simulator, as in `withdrawal.bench.ts`), customers alternating a
 * 100 CNY withdrawal and a balance inquiry, one card session each. Heap
 * (after a full GC), memory outside the heap that V8 knows of (Buffers) and
 * RSS are sampled every tenth of the run. Caches (SQLite's page caches, the
 * allocator's arenas) fill during the first part of a run, so flatness is
 * judged on the second half: a leak of a few hundred bytes a transaction
 * shows there as megabytes.
 *
 * The cassettes hold 2 × 3000 notes of 100 CNY, the demo account and its
 * daily limits are raised, so nothing but memory changes along the run.
 */
export interface MemorySample {
  readonly transactions: number;
  readonly heapMb: number;
  readonly externalMb: number;
  readonly rssMb: number;
}

export interface SoakBench {
  readonly transactions: number;
  readonly samples: readonly MemorySample[];
  /** The sample at half the run and the last one. */
  readonly half: MemorySample;
  readonly end: MemorySample;
  readonly seconds: number;
}

const NOTES_PER_CASSETTE = 3000;

export async function benchSoak(options: { transactions?: number } = {}): Promise<SoakBench> {
  const { transactions = 10_000 } = options;
  const every = Math.max(1, Math.floor(transactions / 10));
  if (transactions / 2 > 2 * NOTES_PER_CASSETTE) throw new Error('more withdrawals than notes');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const monitor = new LineMonitor();
  const kiosk = await startKioskHarness(
    soakConfigOverrides,
    async (simulators) => {
      const dispenser = simulators.simulators.get('cashDispenser');
      for (const unit of [1, 2]) dispenser?.control('loadCassette', { unit, denomination: 10_000, count: NOTES_PER_CASSETTE });
      const host = (action: string, body: unknown): Promise<Response> =>
        fetch(`${simulators.controlUrl}/sim/host/${action}`, { method: 'POST', body: JSON.stringify(body) });
      await host('setBalance', { account: '6222020000000001', balanceMinor: 1e12 });
      await host('addCard', { pan: DEMO_CARD.pan, account: '6222020000000001', pin: DEMO_CARD.pin, psn: '01', dailyLimitMinor: 1e12 });
    },
    { mechanics: 'instant', tap: monitor.tap },
  );
  const t0 = performance.now();
  try {
    if (!(await kiosk.runtime.whenInService(10_000))) throw new Error('the kiosk did not come into service');
    const customer = new InstantCustomer(kiosk, monitor);
    const samples: MemorySample[] = [];
    for (let i = 1; i <= transactions; i++) {
      await (i % 2 === 1 ? customer.withdraw(10_000) : customer.balance());
      // The harness keeps every view for its waits; the soak needs only the latest.
      kiosk.views.splice(0, kiosk.views.length - 1);
      if (i % every === 0 || i === transactions) samples.push({ transactions: i, ...memory(gc) });
    }
    const end = samples.at(-1) as MemorySample;
    const half = samples.find((m) => m.transactions >= transactions / 2) ?? end;
    return { transactions, samples, half, end, seconds: Math.round((performance.now() - t0) / 1000) };
  } finally {
    await kiosk.stop();
  }
}

/**
 * Two cassettes of 100 CNY notes, limits that 5,000 withdrawals do not reach,
 * and the take watched every 10 ms so that 10,000 sessions fit in minutes.
 */
function soakConfigOverrides(base: KioskConfig): Partial<KioskConfig> {
  const fastTakeWatch = { takeWatchIntervalMs: 10 };
  return {
    devices: base.devices.map((d) => {
      if (d.id === 'cashDispenser') {
        const { cassettes } = d.options as { cassettes: { unitId: string; value: number; initialCount: number }[] };
        const refilled = cassettes.map((c, i) => (i < 2 ? { ...c, value: 10_000, initialCount: NOTES_PER_CASSETTE } : c));
        return { ...d, options: { ...d.options, ...fastTakeWatch, cassettes: refilled } };
      }
      if (d.id === 'cardReader') return { ...d, options: { ...d.options, ...fastTakeWatch } };
      return d;
    }),
    limits: { ...base.limits, dailyWithdrawalMinor: 1e12 },
  };
}

function memory(gc: () => void): Omit<MemorySample, 'transactions'> {
  gc();
  gc();
  const { heapUsed, rss, external } = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return { heapMb: mb(heapUsed), rssMb: mb(rss), externalMb: mb(external) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const transactions = Number(process.argv[2] ?? 10_000);
  process.stdout.write(`${JSON.stringify(await benchSoak({ transactions }), null, 2)}\n`);
}
