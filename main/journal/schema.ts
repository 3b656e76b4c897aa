import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/** The live table and the archive that `prune` moves old records into share one shape. */
export const LIVE_TABLE = 'journal';
export const ARCHIVE_TABLE = 'journal_archive';
export const ANCHOR_TABLE = 'journal_anchor';

export type RecordTable = typeof LIVE_TABLE | typeof ARCHIVE_TABLE;

/** Columns of StoredRecord, aliased to its property names. */
export const RECORD_COLUMNS = 'seq, time, kind, tx_id AS txId, session_id AS sessionId, payload, hash';

// `id` is the physical (insertion) order that verification walks; `seq` is the
// chained sequence number. Keeping them apart is what lets a verifier tell a
// reordered row from a missing one.
const recordTable = (name: RecordTable): string => `
  CREATE TABLE IF NOT EXISTS ${name} (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    tx_id TEXT,
    session_id TEXT,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${name}_time ON ${name} (time);`;

/** One row per prune: the last pruned record, from which the live chain continues. */
const ANCHOR_DDL = `
  CREATE TABLE IF NOT EXISTS ${ANCHOR_TABLE} (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    pruned_at INTEGER NOT NULL
  );`;

export const JOURNAL_DDL = recordTable(LIVE_TABLE) + recordTable(ARCHIVE_TABLE) + ANCHOR_DDL;

/** Durable on return from each commit: WAL, fsynced at every commit. */
export function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
}

export interface OpenOptions {
  /** Open an existing file for reading only (verify, export). */
  readonly readonly?: boolean;
}

/** Opens (creating when writable) a journal database with its pragmas and tables. */
export function openJournalDb(file: string, options: OpenOptions = {}): Db {
  if (options.readonly) return new Database(file, { readonly: true, fileMustExist: true });
  const db = new Database(file);
  applyPragmas(db);
  db.exec(JOURNAL_DDL);
  return db;
}
