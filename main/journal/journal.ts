import type { Database as Db, Statement } from 'better-sqlite3';
import type { Clock, TimerHandle } from '../../drivers/common/clock.js';
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
  /** Stamped when the caller hands the record over, not when it is written. */
  readonly time: number;
}

/** How long a noted record may wait for company before it is committed on its own. */
export const GROUP_COMMIT_MS = 5;

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
 * Audit evidence that gates nothing (a status change, a button press) is
 * `note`d instead: chained in order with the appends, and committed in the
 * same transaction as the next append, or within GROUP_COMMIT_MS. One fsync
 * then carries several records; a crash can lose only the notes of that
 * window, never an appended record, and the chain stays whole.
 *
 * One Journal per file is the writer; the head is cached, and a second writer
 * would collide on the UNIQUE seq and fail loudly instead of forking the chain.
 */
export class Journal {
  private head: ChainPoint;
  private readonly insert: Statement<[number, number, string, string | null, string | null, string, string]>;
  private readonly insertBatch: (records: readonly StoredRecord[]) => void;
  private pending: Prepared[] = [];
  private flushTimer: TimerHandle | undefined;
  /** Told when a timed commit of notes fails; the notes stay queued for the next commit. */
  onFlushError: (err: Error) => void = () => undefined;

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
    return this.commit([this.prepare(entry)])[0] as StoredRecord;
  }

  /** Appends several records in one transaction: all are committed, or none. */
  appendMany(entries: readonly JournalEntry[]): StoredRecord[] {
    return this.commit(entries.map((e) => this.prepare(e)));
  }

  /**
   * Queues a record of evidence that gates no device action; it is committed
   * before or with the next append, or by a timer within GROUP_COMMIT_MS.
   * Throws as `append` does for a refused payload.
   */
  note(entry: JournalEntry): void {
    this.pending.push(this.prepare(entry));
    this.flushTimer ??= this.clock.setTimeout(() => {
      this.flushTimer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.onFlushError(err as Error);
      }
    }, GROUP_COMMIT_MS);
  }

  /** Commits the noted records now. */
  flush(): void {
    this.commit([]);
  }

  /** Commits the notes and closes the file (closed even when that last commit fails). */
  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }

  /** Chains and writes the pending notes, then `prepared`, in one transaction; returns the latter. */
  private commit(prepared: readonly Prepared[]): StoredRecord[] {
    const all = this.pending.length === 0 ? prepared : [...this.pending, ...prepared];
    if (all.length === 0) return [];
    const records: StoredRecord[] = [];
    let at = this.head;
    for (const p of all) {
      const record = this.chain(at, p);
      records.push(record);
      at = record;
    }
    if (records.length === 1) this.write(records[0] as StoredRecord);
    else this.insertBatch(records);
    this.head = at;
    this.pending = [];
    if (this.flushTimer !== undefined) {
      this.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    return records.slice(records.length - prepared.length);
  }

  private write(r: StoredRecord): void {
    this.insert.run(r.seq, r.time, r.kind, r.txId, r.sessionId, r.payload, r.hash);
  }

  private chain(prev: ChainPoint, p: Prepared): StoredRecord {
    const seq = prev.seq + 1;
    const { kind, txId, sessionId, payload, time } = p;
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
    return {
      kind: entry.kind,
      txId: safe.txId,
      sessionId: safe.sessionId,
      payload: canonicalJson(safe.payload),
      time: Math.floor(this.clock.now()),
    };
  }

  /**
   * The refusal is evidence too: journal where and why, never the data. Written
   * without the strict check (the path is only masked) so a hostile key name
   * cannot make the refusal itself refused.
   */
  private recordRefusal(entry: JournalEntry, err: SensitiveDataError): void {
    const idsAreClean = err.path.startsWith('$.payload');
    const payload = { event: 'journal.refused', refusedKind: entry.kind, reason: err.reason, path: err.path };
    this.commit([
      {
        kind: 'security',
        txId: idsAreClean ? redact(entry.txId ?? null) : null,
        sessionId: idsAreClean ? redact(entry.sessionId ?? null) : null,
        payload: canonicalJson(redact(payload)),
        time: Math.floor(this.clock.now()),
      },
    ]);
  }
}
