import type { Database as Db } from 'better-sqlite3';
import { chainHash, GENESIS, type ChainPoint } from './hash-chain.js';
import type { StoredRecord } from './record.js';
import { ANCHOR_TABLE, ARCHIVE_TABLE, LIVE_TABLE, RECORD_COLUMNS, type RecordTable } from './schema.js';

export type TamperReason = 'hash-mismatch' | 'gap' | 'reordered' | 'anchor-mismatch';

export interface VerifyOk {
  readonly ok: true;
  /** Records checked, archive and live together. */
  readonly records: number;
  /** Where the chain ends: the last record (or the anchor, or genesis when empty). */
  readonly head: ChainPoint;
  /** Where the live table's chain starts: the last prune anchor, or genesis. */
  readonly anchor: ChainPoint;
}

export interface VerifyFailure {
  readonly ok: false;
  /** The first seq at which the chain breaks. */
  readonly seq: number;
  readonly reason: TamperReason;
  readonly table: RecordTable | typeof ANCHOR_TABLE;
  readonly detail: string;
}

export type VerifyReport = VerifyOk | VerifyFailure;

interface Walked {
  readonly end: ChainPoint;
  readonly count: number;
}

/**
 * Walks one table in physical (insertion) order from `start`, checking that
 * seqs follow one another and every hash chains from the one before.
 */
function walk(db: Db, table: RecordTable, start: ChainPoint): Walked | VerifyFailure {
  const rows = db.prepare(`SELECT ${RECORD_COLUMNS} FROM ${table} ORDER BY id`);
  let prev = start;
  let count = 0;
  let broken: StoredRecord | undefined;
  for (const row of rows.iterate() as IterableIterator<StoredRecord>) {
    if (row.seq !== prev.seq + 1 || chainHash(prev.hash, row) !== row.hash) {
      broken = row;
      break;
    }
    prev = row;
    count++;
  }
  if (!broken) return { end: { seq: prev.seq, hash: prev.hash }, count };
  const expected = prev.seq + 1;
  const fail = (reason: TamperReason, detail: string): VerifyFailure => ({ ok: false, seq: expected, reason, table, detail });
  if (broken.seq === expected) return fail('hash-mismatch', `record ${expected} does not hash onto record ${prev.seq}`);
  // A later seq where `expected` belongs is a gap only if `expected` is nowhere: else rows were moved.
  const present =
    broken.seq < expected ||
    db.prepare(`SELECT 1 FROM ${LIVE_TABLE} WHERE seq = ? UNION ALL SELECT 1 FROM ${ARCHIVE_TABLE} WHERE seq = ?`).get(expected, expected) !==
      undefined;
  return present
    ? fail('reordered', `record ${broken.seq} stands where record ${expected} belongs`)
    : fail('gap', `record ${expected} is missing (next is ${broken.seq})`);
}

/**
 * Verifies the whole journal: the archive chain from genesis up to the last
 * prune anchor, then the live chain from that anchor. When the archive has
 * been emptied the anchor alone is trusted as the live chain's start.
 * Reports the first bad seq and why.
 */
export function verifyJournal(db: Db): VerifyReport {
  const anchors = db.prepare(`SELECT seq, hash FROM ${ANCHOR_TABLE} ORDER BY seq`).all() as ChainPoint[];
  const anchor = anchors.at(-1) ?? GENESIS;
  let records = 0;
  const archived = db.prepare(`SELECT 1 FROM ${ARCHIVE_TABLE} LIMIT 1`).get() !== undefined;
  if (archived) {
    const walked = walk(db, ARCHIVE_TABLE, GENESIS);
    if ('ok' in walked) return walked;
    const hashAt = db.prepare(`SELECT hash FROM ${ARCHIVE_TABLE} WHERE seq = ?`).pluck();
    const mismatch =
      walked.end.seq !== anchor.seq ? anchor : anchors.find((a) => hashAt.get(a.seq) !== a.hash);
    if (mismatch) {
      return {
        ok: false,
        seq: mismatch.seq,
        reason: 'anchor-mismatch',
        table: ANCHOR_TABLE,
        detail: `prune anchor ${mismatch.seq} does not match the archived chain (which ends at ${walked.end.seq})`,
      };
    }
    records += walked.count;
  }
  const live = walk(db, LIVE_TABLE, anchor);
  if ('ok' in live) return live;
  return { ok: true, records: records + live.count, head: live.end, anchor };
}
