import Database, { type Database as Db } from 'better-sqlite3';

/**
 * The link's own SQLite file: the STAN counter and the reversal queue live together so that taking
 * a STAN and recording the reversal a request may need commit in one transaction, and both survive
 * a power cut (WAL, synchronous FULL: a committed row is on disk before the request is written).
 * secure_delete: a deleted or rewritten value (a reversal's sealed cardholder fields) is zeroed in
 * the file, not left in a free page.
 */
export function openLinkDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.exec(`CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`);
  return db;
}

export type { Db };
