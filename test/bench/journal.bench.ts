/**
 * Journal append throughput against raw better-sqlite3 single-row inserts into
 * the same table under the same pragmas (WAL, synchronous=FULL, one
 * transaction per row). Both pay the same fsync per commit, so the ratio
 * measures what the journal adds: sanitising, canonical JSON and SHA-256.
 * Target: ratio ≥ 0.8. Run: `npx tsx test/bench/journal.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../drivers/common/clock.js';
import { Journal } from '../../main/journal/journal.js';
import { openJournalDb } from '../../main/journal/schema.js';

const RECORDS = 2_000;
/** Raw and journal run in alternating rounds so disk-speed drift hits both alike. */
const ROUNDS = 20;

const payloadFor = (i: number) => ({
  device: 'cashDispenser',
  command: 'Dispense',
  request: { amount: { value: 50_000 + i, currency: 'CNY' }, mix: 'minimumBills', present: true },
  card: '622202******1234',
  note: `dispense attempt ${i} for session s-${i % 17}`,
});

export async function benchJournal(): Promise<{ journalPerSec: number; rawPerSec: number; ratio: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'journal-bench-'));
  const journal = Journal.open(join(dir, 'journal.db'), systemClock);
  const raw = openJournalDb(join(dir, 'raw.db'));
  const insert = raw.prepare(
    'INSERT INTO journal (seq, time, kind, tx_id, session_id, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const perRound = RECORDS / ROUNDS;
  let rawMs = 0;
  let journalMs = 0;
  let rawSeq = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      let t = systemClock.monotonic();
      for (let i = 0; i < perRound; i++) {
        rawSeq++;
        insert.run(rawSeq, Math.floor(systemClock.now()), 'device.command', 'tx-1', 's-1', JSON.stringify(payloadFor(rawSeq)), 'x');
      }
      rawMs += systemClock.monotonic() - t;
      t = systemClock.monotonic();
      for (let i = 0; i < perRound; i++) {
        journal.append({ kind: 'device.command', txId: 'tx-1', sessionId: 's-1', payload: payloadFor(rawSeq - perRound + i + 1) });
      }
      journalMs += systemClock.monotonic() - t;
    }
  } finally {
    journal.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const rawPerSec = (RECORDS / rawMs) * 1000;
  const journalPerSec = (RECORDS / journalMs) * 1000;
  return { journalPerSec, rawPerSec, ratio: journalPerSec / rawPerSec };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchJournal();
  process.stdout.write(
    `journal append: ${r.journalPerSec.toFixed(0)}/s, raw insert: ${r.rawPerSec.toFixed(0)}/s, ratio ${r.ratio.toFixed(2)} (target ≥ 0.80)\n`,
  );
}
