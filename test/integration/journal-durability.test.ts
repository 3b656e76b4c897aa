import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { Journal } from '../../main/journal/journal.js';
import { verifyJournal } from '../../main/journal/verify.js';

const CHILD = fileURLToPath(new URL('../unit/journal/append-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'journal-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the appending child and SIGKILLs it once it has acknowledged `killAfter`
 * seqs; resolves with every seq it acknowledged on a complete line.
 */
function appendUntilKilled(file: string, mode: 'single' | 'batch', killAfter: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) acked.push(Number(line));
      if (acked.length >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`child exited on its own: ${stderr}`));
    });
  });
}

describe('journal durability', () => {
  // Random kill points; printed so a failure can be replayed.
  const runs = [
    { mode: 'single' as const, killAfter: 20 + Math.floor(Math.random() * 150) },
    { mode: 'single' as const, killAfter: 20 + Math.floor(Math.random() * 150) },
    { mode: 'batch' as const, killAfter: 30 + Math.floor(Math.random() * 150) },
  ];

  it.each(runs)('keeps every acknowledged record after SIGKILL ($mode, kill after $killAfter)', async ({ mode, killAfter }) => {
    const file = join(dir, `${mode}-${killAfter}.db`);
    const first = await appendUntilKilled(file, mode, killAfter);
    expect(first.length).toBeGreaterThanOrEqual(killAfter);
    // A second life continues the same chain, then is killed in turn.
    const second = await appendUntilKilled(file, mode, 10);
    expect(second[0]).toBeGreaterThan(first.at(-1) ?? 0);

    const db = new Database(file, { readonly: true });
    try {
      const present = new Set(db.prepare('SELECT seq FROM journal').pluck().all() as number[]);
      for (const seq of [...first, ...second]) expect(present.has(seq)).toBe(true);
      const report = verifyJournal(db);
      expect(report).toMatchObject({ ok: true });
      if (report.ok) expect(report.head.seq).toBeGreaterThanOrEqual(second.at(-1) ?? 0);
      if (mode === 'batch') expect(present.size % 3).toBe(0); // a batch is all or nothing
    } finally {
      db.close();
    }

    // And the writer that opens it next carries on from the recovered head.
    const journal = Journal.open(file, systemClock);
    try {
      const next = journal.append({ kind: 'recovery', payload: { event: 'restart' } });
      expect(verifyJournal(journal.db)).toMatchObject({ ok: true, head: { seq: next.seq } });
    } finally {
      journal.close();
    }
  });
});
