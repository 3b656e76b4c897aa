import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../drivers/common/clock.js';
import { runJournalCli } from '../../main/journal/commands.js';
import { csvField } from '../../main/journal/export.js';
import { Journal } from '../../main/journal/journal.js';
import type { StoredRecord } from '../../main/journal/record.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'journal-cli-'));
const file = join(dir, 'journal.db');
let records: StoredRecord[];

/** Three records an hour apart from 08:00 UTC on 1 March 2026. */
beforeAll(() => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 8));
  const journal = Journal.open(file, clock);
  records = [
    journal.append({ kind: 'customer', sessionId: 's1', payload: { event: 'start' } }),
    (clock.advance(HOUR), journal.append({ kind: 'transaction', txId: 'a,"b"\nc', payload: { amount: 100 } })),
    (clock.advance(HOUR), journal.append({ kind: 'config', payload: { card: '4111111111111111' } })),
  ];
  journal.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runJournalCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), now: () => Date.UTC(2026, 5, 1) });
  return { code, out, err };
}

/** A copy of the journal to damage or prune without disturbing the other tests. */
function copyOfJournal(name: string): string {
  const target = join(dir, name);
  const db = new Database(file, { readonly: true });
  db.exec(`VACUUM INTO '${target}'`);
  db.close();
  return target;
}

describe('csvField (RFC 4180)', () => {
  it('quotes fields with comma, quote, CR or LF and doubles the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('')).toBe('');
  });
});

describe('journal CLI', () => {
  it('verify: 0 and the head for an intact journal', () => {
    expect(cli('verify', file)).toEqual({ code: 0, out: `ok: 3 records, head seq 3 ${records[2]?.hash}\n`, err: '' });
  });

  it('verify: 1 and the seq for a tampered journal', () => {
    const copy = copyOfJournal('tampered.db');
    const db = new Database(copy);
    db.prepare(`UPDATE journal SET payload = '{"amount":1}' WHERE seq = 2`).run();
    db.close();
    const r = cli('verify', copy);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^TAMPERED at seq 2 \(journal\): hash-mismatch/);
  });

  it('export csv: the records in [from, to), escaped per RFC 4180', () => {
    const r = cli('export', file, '--from', '2026-03-01T08:30:00Z', '--to', '2026-03-01T10:00:00Z', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'seq,time,kind,txId,sessionId,payload,hash\r\n' +
        `2,2026-03-01T09:00:00.000Z,transaction,"a,""b""\nc",,"{""amount"":100}",${records[1]?.hash}\r\n`,
    );
  });

  it('export json: every record by default, payloads as JSON, PANs masked', () => {
    const r = cli('export', file, '--format', 'json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as unknown[];
    expect(parsed).toEqual([
      { seq: 1, time: '2026-03-01T08:00:00.000Z', kind: 'customer', txId: null, sessionId: 's1', payload: { event: 'start' }, hash: records[0]?.hash },
      { seq: 2, time: '2026-03-01T09:00:00.000Z', kind: 'transaction', txId: 'a,"b"\nc', sessionId: null, payload: { amount: 100 }, hash: records[1]?.hash },
      { seq: 3, time: '2026-03-01T10:00:00.000Z', kind: 'config', txId: null, sessionId: null, payload: { card: '411111******1111' }, hash: records[2]?.hash },
    ]);
    expect(cli('export', file, '--from', '2026-03-02', '--format', 'json').out).toBe('[]\n');
  });

  it('prune: archives old records, still verifies, and export still finds them', () => {
    const copy = copyOfJournal('pruned.db');
    expect(cli('prune', copy, '--before', '2026-03-01T09:30:00Z')).toEqual({
      code: 0,
      out: `pruned 2 records; anchor seq 2 ${records[1]?.hash}\n`,
      err: '',
    });
    expect(cli('verify', copy).code).toBe(0);
    const exported = JSON.parse(cli('export', copy, '--to', '2026-03-01T09:30:00Z', '--format', 'json').out) as { seq: number }[];
    expect(exported.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('prune: 1 and nothing moved for a tampered journal', () => {
    const copy = copyOfJournal('tampered-prune.db');
    const db = new Database(copy);
    db.prepare('DELETE FROM journal WHERE seq = 1').run();
    db.close();
    const r = cli('prune', copy, '--before', '2026-03-02');
    expect(r.code).toBe(1);
    expect(r.err).toContain('seq 1');
  });

  it.each([
    [[]],
    [['frobnicate', 'x.db']],
    [['verify']],
    [['verify', '/nonexistent/journal.db']],
    [['verify', 'a.db', 'b.db']],
    [['export', 'journal.db', '--format', 'xml']],
    [['export', 'journal.db', '--format', 'csv', '--from', 'yesterday']],
    [['prune', 'journal.db']],
    [['verify', 'journal.db', '--bogus']],
  ])('usage error %j: exit 2 with the usage text', (argv) => {
    const r = cli(...argv.map((a) => (a === 'journal.db' ? file : a)));
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage:');
  });

  it('a file that is no journal is a usage error, a damaged one is tampering', () => {
    const empty = join(dir, 'empty.db');
    new Database(empty).close();
    expect(cli('verify', empty).code).toBe(2);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not sqlite at all, just text '.repeat(200));
    expect(cli('verify', garbage).code).toBe(2);
  });

  it('the real entry point exits 0, 1 and 2', () => {
    const entry = fileURLToPath(new URL('../../main/journal/cli.ts', import.meta.url));
    const tampered = copyOfJournal('tampered-entry.db');
    const db = new Database(tampered);
    db.prepare('DELETE FROM journal WHERE seq = 2').run();
    db.close();
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8' });
    expect(run('verify', file).status).toBe(0);
    const bad = run('verify', tampered);
    expect([bad.status, bad.stdout]).toEqual([1, expect.stringContaining('TAMPERED at seq 2 (journal): gap')]);
    expect(run('export', file).status).toBe(2);
  });
});
