import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/common/clock.js';
import { chainHash } from '../../main/journal/hash-chain.js';
import { Journal } from '../../main/journal/journal.js';
import { JournalTamperedError, pruneJournal } from '../../main/journal/prune.js';
import type { StoredRecord } from '../../main/journal/record.js';
import { verifyJournal } from '../../main/journal/verify.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'journal-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let clock: ManualClock;
let journal: Journal;
let db: Db;

/** Twenty records, one a day from 1 January 2026. */
beforeEach(() => {
  clock = new ManualClock(START);
  journal = Journal.open(join(dir, `j${n++}.db`), clock);
  db = journal.db;
  for (let i = 1; i <= 20; i++) {
    journal.append({ kind: i % 2 ? 'customer' : 'transaction', txId: `t${i}`, payload: { i, note: `record ${i}` } });
    clock.advance(DAY);
  }
});
afterEach(() => journal.close());

const record = (seq: number, table = 'journal'): StoredRecord =>
  db.prepare(`SELECT seq, time, kind, tx_id AS txId, session_id AS sessionId, payload, hash FROM ${table} WHERE seq = ?`).get(seq) as StoredRecord;

describe('verifyJournal', () => {
  it('accepts an intact journal', () => {
    expect(verifyJournal(db)).toEqual({
      ok: true,
      records: 20,
      head: { seq: 20, hash: record(20).hash },
      anchor: { seq: 0, hash: '0'.repeat(64) },
    });
  });

  it('names the seq whose payload was edited', () => {
    db.prepare(`UPDATE journal SET payload = '{"i":7,"note":"record 7, amended"}' WHERE seq = 7`).run();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 7, reason: 'hash-mismatch', table: 'journal' });
  });

  it('catches an edit whose own hash was recomputed at the next record', () => {
    const edited = { ...record(7), payload: '{"i":7,"note":"forged"}' };
    db.prepare('UPDATE journal SET payload = ?, hash = ? WHERE seq = 7').run(edited.payload, chainHash(record(6).hash, edited));
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 8, reason: 'hash-mismatch' });
  });

  it('names a deleted seq as a gap', () => {
    db.prepare('DELETE FROM journal WHERE seq = 7').run();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 7, reason: 'gap' });
    db.prepare('DELETE FROM journal WHERE seq = 1').run();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 1, reason: 'gap' });
  });

  it('names two swapped rows as reordered', () => {
    const id = (seq: number): number => db.prepare('SELECT id FROM journal WHERE seq = ?').pluck().get(seq) as number;
    const [a, b] = [id(7), id(8)];
    db.transaction(() => {
      db.prepare('UPDATE journal SET id = -1 WHERE id = ?').run(a);
      db.prepare('UPDATE journal SET id = ? WHERE id = ?').run(a, b);
      db.prepare('UPDATE journal SET id = ? WHERE id = -1').run(b);
    })();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 7, reason: 'reordered' });
  });

  it('names two rows whose contents were swapped under their seqs', () => {
    const [r7, r8] = [record(7), record(8)];
    const put = db.prepare('UPDATE journal SET time = ?, kind = ?, tx_id = ?, payload = ?, hash = ? WHERE seq = ?');
    put.run(r8.time, r8.kind, r8.txId, r8.payload, r8.hash, 7);
    put.run(r7.time, r7.kind, r7.txId, r7.payload, r7.hash, 8);
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 7, reason: 'hash-mismatch' });
  });
});

describe('pruneJournal', () => {
  const before = START + 10 * DAY; // records 1..10 are older

  it('moves old records to the archive and the chain still verifies, also after new appends', () => {
    const result = pruneJournal(db, before, clock.now());
    expect(result).toEqual({ pruned: 10, anchor: { seq: 10, hash: record(10, 'journal_archive').hash } });
    expect(db.prepare('SELECT MIN(seq) FROM journal').pluck().get()).toBe(11);
    expect(verifyJournal(db)).toMatchObject({ ok: true, records: 20, anchor: { seq: 10 } });
    journal.append({ kind: 'recovery', payload: { after: 'prune' } });
    expect(pruneJournal(db, before + 5 * DAY, clock.now())).toMatchObject({ pruned: 5, anchor: { seq: 15 } });
    expect(verifyJournal(db)).toMatchObject({ ok: true, records: 21, head: { seq: 21 } });
    expect(pruneJournal(db, before, clock.now())).toEqual({ pruned: 0 });
  });

  it('keeps the live chain verifiable from its anchor once the archive is gone', () => {
    pruneJournal(db, before, clock.now());
    db.prepare('DELETE FROM journal_archive').run();
    expect(verifyJournal(db)).toMatchObject({ ok: true, records: 10, anchor: { seq: 10 } });
    db.prepare(`UPDATE journal SET payload = '{}' WHERE seq = 11`).run();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 11, reason: 'hash-mismatch', table: 'journal' });
  });

  it('can prune everything; the next append chains from the anchor', () => {
    pruneJournal(db, clock.now() + DAY, clock.now());
    expect(db.prepare('SELECT COUNT(*) FROM journal').pluck().get()).toBe(0);
    journal.close();
    journal = Journal.open(db.name, clock);
    db = journal.db;
    expect(journal.append({ kind: 'config', payload: {} }).seq).toBe(21);
    expect(verifyJournal(db)).toMatchObject({ ok: true, records: 21 });
  });

  it('detects tampering in the archive and with the anchor', () => {
    pruneJournal(db, before, clock.now());
    db.prepare(`UPDATE journal_archive SET payload = '{}' WHERE seq = 3`).run();
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 3, reason: 'hash-mismatch', table: 'journal_archive' });
    db.prepare(`UPDATE journal_archive SET payload = ? WHERE seq = 3`).run('{"i":3,"note":"record 3"}');
    expect(verifyJournal(db).ok).toBe(true);
    db.prepare(`UPDATE journal_anchor SET hash = ? WHERE seq = 10`).run('f'.repeat(64));
    expect(verifyJournal(db)).toMatchObject({ ok: false, seq: 10, reason: 'anchor-mismatch' });
  });

  it('refuses to prune a tampered journal and moves nothing', () => {
    db.prepare('DELETE FROM journal WHERE seq = 4').run();
    expect(() => pruneJournal(db, before, clock.now())).toThrow(JournalTamperedError);
    expect(db.prepare('SELECT COUNT(*) FROM journal_archive').pluck().get()).toBe(0);
  });

  it('moves only a prefix of the chain when the wall clock stepped back', () => {
    /** Wall time that jumps forward a week and is then set back. */
    class SteppingClock extends ManualClock {
      private readonly days = [1, 2, 9, 3, 4];
      override now(): number {
        return START + (this.days.shift() ?? 0) * DAY;
      }
    }
    journal.close();
    journal = Journal.open(join(dir, `steps${n++}.db`), new SteppingClock());
    db = journal.db;
    for (let i = 0; i < 5; i++) journal.append({ kind: 'config', payload: { i } });
    expect(pruneJournal(db, START + 5 * DAY, 0)).toMatchObject({ pruned: 2, anchor: { seq: 2 } });
    expect(verifyJournal(db)).toMatchObject({ ok: true, records: 5 });
  });
});
