import type { Database as Db } from 'better-sqlite3';
import type { ChainPoint } from './hash-chain.js';
import { ANCHOR_TABLE, ARCHIVE_TABLE, LIVE_TABLE } from './schema.js';
import { verifyJournal, type VerifyFailure } from './verify.js';

export class JournalTamperedError extends Error {
  override readonly name = 'JournalTamperedError';
  constructor(readonly report: VerifyFailure) {
    super(`journal fails verification at seq ${report.seq}: ${report.reason}`);
  }
}

export interface PruneResult {
  readonly pruned: number;
  /** The new anchor (last record moved), absent when nothing was old enough. */
  readonly anchor?: ChainPoint;
}

/**
 * Retention: moves the records before `before` (ms) to the archive table and
 * records the last one moved as an anchor, from which the live chain verifies.
 *
 * Only a prefix of the chain moves (every seq below the first record stamped
 * at or after `before`), so a wall clock that stepped back cannot punch a hole
 * in the live chain. A journal that fails verification is not pruned: moving
 * rows must never launder tampering.
 */
export function pruneJournal(db: Db, before: number, prunedAt: number): PruneResult {
  return db
    .transaction((): PruneResult => {
      const report = verifyJournal(db);
      if (!report.ok) throw new JournalTamperedError(report);
      const keep = db.prepare(`SELECT MIN(seq) FROM ${LIVE_TABLE} WHERE time >= ?`).pluck().get(before) as number | null;
      const cut = keep ?? report.head.seq + 1;
      const last = db
        .prepare(`SELECT seq, hash FROM ${LIVE_TABLE} WHERE seq < ? ORDER BY seq DESC LIMIT 1`)
        .get(cut) as ChainPoint | undefined;
      if (!last) return { pruned: 0 };
      const columns = 'seq, time, kind, tx_id, session_id, payload, hash';
      db.prepare(`INSERT INTO ${ARCHIVE_TABLE} (${columns}) SELECT ${columns} FROM ${LIVE_TABLE} WHERE seq < ? ORDER BY id`).run(cut);
      const moved = db.prepare(`DELETE FROM ${LIVE_TABLE} WHERE seq < ?`).run(cut).changes;
      db.prepare(`INSERT INTO ${ANCHOR_TABLE} (seq, hash, pruned_at) VALUES (?, ?, ?)`).run(last.seq, last.hash, prunedAt);
      return { pruned: moved, anchor: { seq: last.seq, hash: last.hash } };
    })
    .immediate();
}
