import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { GROUP_COMMIT_MS, Journal } from '../../../main/journal/journal.js';
import { JournalInputError, type JournalKind, type StoredRecord } from '../../../main/journal/record.js';
import { SensitiveDataError } from '../../../main/journal/redact.js';
import { readRecords } from '../../../main/journal/export.js';
import { verifyJournal } from '../../../main/journal/verify.js';

let dir: string;
let file: string;
let clock: ManualClock;
let journal: Journal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-unit-'));
  file = join(dir, 'journal.db');
  clock = new ManualClock(Date.UTC(2026, 2, 1, 8, 0, 0));
  journal = Journal.open(file, clock);
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (): StoredRecord[] => readRecords(journal.db);

/** The chain rule written out here, independently of hash-chain.ts. */
function expectedHash(prev: string, r: Omit<StoredRecord, 'hash'>): string {
  const canonical = JSON.stringify([r.seq, r.time, r.kind, r.txId, r.sessionId, JSON.parse(r.payload)]);
  return createHash('sha256').update(prev + canonical).digest('hex');
}

describe('Journal', () => {
  it('opens in WAL mode with synchronous=FULL', () => {
    expect(journal.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(journal.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('numbers records from 1, stamps them from the Clock and chains their hashes', () => {
    const a = journal.append({ kind: 'customer', sessionId: 's1', payload: { event: 'cardInserted' } });
    clock.advance(1500);
    const b = journal.append({ kind: 'transaction', txId: 't1', sessionId: 's1', payload: { z: 1, a: [true, null] } });
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(b.time - a.time).toBe(1500);
    expect(a.time).toBe(Date.UTC(2026, 2, 1, 8, 0, 0));
    expect(b.payload).toBe('{"a":[true,null],"z":1}');
    expect(a.hash).toBe(expectedHash('0'.repeat(64), a));
    expect(b.hash).toBe(expectedHash(a.hash, b));
    expect(rows()).toEqual([a, b]);
  });

  it('stores PANs masked', () => {
    journal.append({ kind: 'device.result', txId: 'card 4111111111111111', payload: { track: 'none', pan: '6222021234561236' } });
    const [row] = rows();
    expect(row?.payload).toBe('{"pan":"622202******1236","track":"none"}');
    expect(row?.txId).toBe('card 411111******1111');
  });

  it('refuses sensitive data with a typed error and journals the refusal without the data', () => {
    journal.append({ kind: 'customer', payload: { event: 'start' } });
    expect(() =>
      journal.append({ kind: 'device.result', txId: 't9', payload: { card: { pinBlock: '0412AC89ABCDEF67' } } }),
    ).toThrow(SensitiveDataError);
    expect(() => journal.append({ kind: 'device.result', payload: { raw: ';4111111111111111=25121011234567890?' } })).toThrow(
      SensitiveDataError,
    );
    const all = rows();
    expect(all.map((r) => r.kind)).toEqual(['customer', 'security', 'security']);
    expect(JSON.parse(all[1]?.payload ?? '')).toEqual({
      event: 'journal.refused',
      refusedKind: 'device.result',
      reason: 'forbiddenKey',
      path: '$.payload.card.pinBlock',
    });
    expect(all[1]?.txId).toBe('t9');
    expect(JSON.parse(all[2]?.payload ?? '')).toMatchObject({ reason: 'trackData', path: '$.payload.raw' });
    const dump = JSON.stringify(all);
    expect(dump).not.toContain('0412AC89');
    expect(dump).not.toContain('4111111111111111');
    expect(verifyJournal(journal.db).ok).toBe(true);
  });

  it('refuses an unknown kind and a payload JSON cannot carry faithfully, writing nothing', () => {
    expect(() => journal.append({ kind: 'gossip' as JournalKind, payload: {} })).toThrow(JournalInputError);
    expect(() => journal.append({ kind: 'config', payload: { at: new Date(0) } })).toThrow(JournalInputError);
    expect(rows()).toEqual([]);
    expect(journal.append({ kind: 'config', payload: {} }).seq).toBe(1);
  });

  it('appendMany commits a batch in one transaction, chained, and nothing of a refused batch', () => {
    const batch = journal.appendMany([
      { kind: 'host.request', txId: 't1', payload: { mti: '0200' } },
      { kind: 'host.response', txId: 't1', payload: { mti: '0210', rc: '00' } },
    ]);
    expect(batch.map((r) => r.seq)).toEqual([1, 2]);
    expect(batch[1]?.hash).toBe(expectedHash(batch[0]?.hash ?? '', batch[1] as StoredRecord));
    expect(() =>
      journal.appendMany([
        { kind: 'host.request', payload: { mti: '0200' } },
        { kind: 'host.request', payload: { cvv2: '123' } },
      ]),
    ).toThrow(SensitiveDataError);
    expect(rows().map((r) => r.kind)).toEqual(['host.request', 'host.response', 'security']);
    expect(journal.append({ kind: 'recovery', payload: {} }).seq).toBe(4);
    expect(verifyJournal(journal.db).ok).toBe(true);
  });

  it('continues the chain after reopening', () => {
    journal.append({ kind: 'config', payload: { v: 1 } });
    const last = journal.append({ kind: 'config', payload: { v: 2 } });
    journal.close();
    journal = Journal.open(file, clock);
    expect(journal.last).toEqual({ seq: last.seq, hash: last.hash });
    const next = journal.append({ kind: 'config', payload: { v: 3 } });
    expect(next.seq).toBe(3);
    expect(next.hash).toBe(expectedHash(last.hash, next));
    expect(verifyJournal(journal.db)).toMatchObject({ ok: true, records: 3 });
  });

  it('fails loudly rather than fork the chain when a second writer appends to the same file', () => {
    const other = Journal.open(file, clock);
    try {
      journal.append({ kind: 'config', payload: { by: 'first' } });
      expect(() => other.append({ kind: 'config', payload: { by: 'second' } })).toThrow(/UNIQUE/);
    } finally {
      other.close();
    }
    expect(verifyJournal(journal.db).ok).toBe(true);
  });

  describe('notes (audit evidence, group-committed)', () => {
    it('commits notes in order, before and in the same transaction as the next append, keeping their own stamps', () => {
      journal.note({ kind: 'customer', payload: { event: 'ui.confirmed' } });
      clock.advance(2);
      journal.note({ kind: 'device.result', payload: { event: 'device.status' } });
      expect(rows()).toHaveLength(0);
      clock.advance(1);
      const appended = journal.append({ kind: 'transaction', payload: { event: 'dispense.requested' } });
      expect(appended.seq).toBe(3);
      const stored = rows();
      expect(stored.map((r) => JSON.parse(r.payload).event)).toEqual(['ui.confirmed', 'device.status', 'dispense.requested']);
      expect(stored.map((r) => r.time - (stored[0]?.time ?? 0))).toEqual([0, 2, 3]);
      expect(verifyJournal(journal.db).ok).toBe(true);
    });

    it('commits lone notes when the group-commit window closes, once', () => {
      journal.note({ kind: 'customer', payload: { event: 'a' } });
      journal.note({ kind: 'customer', payload: { event: 'b' } });
      clock.advance(GROUP_COMMIT_MS - 1);
      expect(rows()).toHaveLength(0);
      clock.advance(1);
      expect(rows()).toHaveLength(2);
      clock.advance(GROUP_COMMIT_MS * 3);
      expect(rows()).toHaveLength(2);
      expect(verifyJournal(journal.db).ok).toBe(true);
    });

    it('refuses a sensitive note at once, journalling the refusal after the notes before it', () => {
      journal.note({ kind: 'customer', payload: { event: 'first' } });
      expect(() => journal.note({ kind: 'customer', payload: { raw: ';4111111111111111=25121011234567890?' } })).toThrow(
        SensitiveDataError,
      );
      const stored = rows();
      expect(stored.map((r) => r.kind)).toEqual(['customer', 'security']);
      expect(JSON.stringify(stored)).not.toContain('4111111111111111');
    });

    it('keeps notes queued when a timed commit fails and reports it, losing nothing silently', () => {
      const errors: string[] = [];
      journal.onFlushError = (err) => errors.push(err.message);
      journal.note({ kind: 'customer', payload: { event: 'kept' } });
      // Another writer takes the next seq: the timed commit collides and must not lose or fork anything.
      const other = Journal.open(file, clock);
      other.append({ kind: 'customer', payload: { event: 'intruder' } });
      other.close();
      clock.advance(GROUP_COMMIT_MS);
      expect(errors).toHaveLength(1);
      expect(rows().map((r) => JSON.parse(r.payload).event)).toEqual(['intruder']);
      // Closing tries once more, says so, and still releases the file.
      expect(() => journal.close()).toThrow(/UNIQUE/);
      expect(journal.db.open).toBe(false);
      journal = Journal.open(file, clock);
    });

    it('flushes notes on close', () => {
      journal.note({ kind: 'customer', payload: { event: 'last words' } });
      journal.close();
      const reopened = Journal.open(file, clock);
      try {
        expect(readRecords(reopened.db).map((r) => JSON.parse(r.payload).event)).toEqual(['last words']);
      } finally {
        reopened.close();
      }
      journal = Journal.open(file, clock);
    });
  });
});
