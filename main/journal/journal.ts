import type { Database as Db, Statement } from 'better-sqlite3';
import type { Clock } from '../../drivers/common/clock.js';
import { canonicalJson } from './canonical.js';
import { chainHash, GENESIS, type ChainPoint } from './hash-chain.js';
import { isJournalKind, JournalInputError, type JournalEntry, type StoredRecord } from './record.js';
import { redact, sanitize, SensitiveDataError } from './redact.js';
import { ANCHOR_TABLE, LIVE_TABLE, openJournalDb } from './schema.js';

interface Prepared {
  readonly kind: string;
  readonly txId: string | null;
  readonly sessionId: string | null;
  readonly payload: string;
}

/** Reads where the chain currently ends: the last live record, else the last prune anchor. */
export function readHead(db: Db): ChainPoint {
  const live = db.prepare(`SELECT seq, hash FROM ${LIVE_TABLE} ORDER BY seq DESC LIMIT 1`).get() as ChainPoint | undefined;
  if (live) return live;
  const anchor = db.prepare(`SELECT seq, hash FROM ${ANCHOR_TABLE} ORDER BY seq DESC LIMIT 1`).get() as ChainPoint | undefined;
  return anchor ?? GENESIS;
}

/**
 * The append-only electronic journal. Appends are synchronous: when `append`
 * returns, the record is committed (WAL, synchronous=FULL), so a caller can
 * journal a device command before the device acts.
 *
 * One Journal per file is the writer; the head is cached, and a second writer
 * would collide on the UNIQUE seq and fail loudly instead of forking the chain.
 */
export class Journal {
  private head: ChainPoint;
  private readonly insert: Statement<[number, number, string, string | null, string | null, string, string]>;
  private readonly insertBatch: (records: readonly StoredRecord[]) => void;

  constructor(
    readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.head = readHead(db);
    this.insert = db.prepare(
      `INSERT INTO ${LIVE_TABLE} (seq, time, kind, tx_id, session_id, payload, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatch = db.transaction((records: readonly StoredRecord[]) => {
      for (const r of records) this.write(r);
    });
  }

  static open(file: string, clock: Clock): Journal {
    return new Journal(openJournalDb(file), clock);
  }

  /** The last committed record's seq and hash. */
  get last(): ChainPoint {
    return this.head;
  }

  /**
   * Sanitises, chains and commits one record (one transaction). Throws
   * SensitiveDataError after journalling a 'security' record of the refusal.
   */
  append(entry: JournalEntry): StoredRecord {
    return this.commit(this.prepare(entry));
  }

  /** Appends several records in one transaction: all are committed, or none. */
  appendMany(entries: readonly JournalEntry[]): StoredRecord[] {
    const prepared = entries.map((e) => this.prepare(e));
    const records: StoredRecord[] = [];
    let at = this.head;
    for (const p of prepared) {
      const record = this.chain(at, p);
      records.push(record);
      at = record;
    }
    this.insertBatch(records);
    this.head = at;
    return records;
  }

  close(): void {
    this.db.close();
  }

  private commit(p: Prepared): StoredRecord {
    const record = this.chain(this.head, p);
    this.write(record);
    this.head = record;
    return record;
  }

  private write(r: StoredRecord): void {
    this.insert.run(r.seq, r.time, r.kind, r.txId, r.sessionId, r.payload, r.hash);
  }

  private chain(prev: ChainPoint, p: Prepared): StoredRecord {
    const seq = prev.seq + 1;
    const time = Math.floor(this.clock.now());
    const { kind, txId, sessionId, payload } = p;
    return { seq, time, kind, txId, sessionId, payload, hash: chainHash(prev.hash, { seq, time, kind, txId, sessionId, payload }) };
  }

  private prepare(entry: JournalEntry): Prepared {
    if (!isJournalKind(entry.kind)) throw new JournalInputError(`unknown journal kind ${JSON.stringify(entry.kind)}`);
    let safe: { txId: string | null; sessionId: string | null; payload: object };
    try {
      safe = sanitize({ txId: entry.txId ?? null, sessionId: entry.sessionId ?? null, payload: entry.payload });
    } catch (err) {
      if (err instanceof SensitiveDataError) this.recordRefusal(entry, err);
      throw err;
    }
    return { kind: entry.kind, txId: safe.txId, sessionId: safe.sessionId, payload: canonicalJson(safe.payload) };
  }

  /**
   * The refusal is evidence too: journal where and why, never the data. Written
   * without the strict check (the path is only masked) so a hostile key name
   * cannot make the refusal itself refused.
   */
  private recordRefusal(entry: JournalEntry, err: SensitiveDataError): void {
    const idsAreClean = err.path.startsWith('$.payload');
    const payload = { event: 'journal.refused', refusedKind: entry.kind, reason: err.reason, path: err.path };
    this.commit({
      kind: 'security',
      txId: idsAreClean ? redact(entry.txId ?? null) : null,
      sessionId: idsAreClean ? redact(entry.sessionId ?? null) : null,
      payload: canonicalJson(redact(payload)),
    });
  }
}
