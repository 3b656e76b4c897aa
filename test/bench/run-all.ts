import { benchBundleSize } from './bundle-size.bench.js';
import { benchJournal } from './journal.bench.js';
import { benchStartup } from './startup.bench.js';

/**
 * `npm run bench`: every benchmark against its target, printed as a table.
 * Targets (DEVELOPERS.md): start to in-service < 1500 ms, RSS < 150 MB,
 * durable journal appends >= 0.8x raw SQLite inserts with the same fsync policy.
 */
interface Row {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
}

const rows: Row[] = [];

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

const bundle = await benchBundleSize();
rows.push({ name: 'renderer bundle (js+css)', value: `${(bundle.bytes / 1024).toFixed(1)} KiB (${(bundle.gzipBytes / 1024).toFixed(1)} KiB gzip)`, target: '-', ok: true });

for (const row of rows) {
  process.stdout.write(`${row.ok ? 'ok  ' : 'MISS'} ${row.name.padEnd(48)} ${row.value.padEnd(34)} target ${row.target}\n`);
}
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
