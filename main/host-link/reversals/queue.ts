import type { Clock } from '../../../drivers/common/clock.js';
import { EventHub, type Unsubscribe } from '../../../drivers/common/events.js';
import type { IsoMessage } from '../iso8583/index.js';
import type { Db } from '../link/db.js';
import type { StorageCipher } from '../link/storage-cipher.js';
import { CardholderFields, OlderFileConversion, readable, type Original } from './cardholder-fields.js';

/**
 * prepared → owed → sent → acknowledged, or prepared → canceled.
 * - prepared: written before the request that may need reversing is sent.
 * - canceled: the original completed normally (or was declined, or never left the kiosk).
 * - owed: the original must be undone (timeout, dispense fault, card AAC, cash retracted).
 * - sent: at least one 0420 went out; repeats go as 0421 until a 0430 arrives.
 */
export type ReversalState = 'prepared' | 'owed' | 'sent' | 'acknowledged' | 'canceled';

/** Why a reversal is owed; each maps to the DE39 the 0420 carries (reversals/message.ts). */
export type ReversalReason =
  | 'timeout'
  | 'noValidResponse'
  | 'partialDispense'
  | 'dispenseFault'
  | 'cashRetracted'
  | 'cardAac'
  | 'interrupted';

export interface ReversalRecord {
  readonly id: number;
  readonly state: ReversalState;
  readonly reason: ReversalReason | null;
  /**
   * The original request's MTI and the text fields a reversal repeats (no PIN block, track 2, chip
   * data or MAC) — without its cardholder fields, which are sealed apart: `openOriginal` has them.
   */
  readonly original: Original;
  /** Partial dispense: what actually left the kiosk (DE95). */
  readonly dispensedMinor: number | null;
  /** The reversal's own STAN, fixed at its first send so 0421 repeats carry the same one. */
  readonly stan: string | null;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
}

/** Fields of the original that the 0420 repeats (host-crypto.md §1.4 reversal rules, DE90 built from 7/11/32). */
const KEPT_FIELDS = [2, 3, 4, 7, 11, 12, 13, 14, 22, 23, 25, 32, 37, 41, 42, 43, 49, 102, 103];

interface Row {
  id: number;
  state: ReversalState;
  reason: ReversalReason | null;
  original: string;
  dispensed_minor: number | null;
  stan: string | null;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
}

const toRecord = (r: Row): ReversalRecord => ({
  id: r.id,
  state: r.state,
  reason: r.reason,
  original: readable(JSON.parse(r.original) as Original),
  dispensedMinor: r.dispensed_minor,
  stan: r.stan,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
});

/**
 * The store-and-forward reversal queue in the link's SQLite file. Every change is one committed
 * statement, so a crash leaves each reversal in exactly one state. The 0420 must repeat DE2, so the
 * cardholder fields are kept, but only sealed under the link's data key (StorageCipher), and dropped
 * once the reversal is canceled or acknowledged. A file written by an older version, which kept
 * them in clear, is converted: finished rows at once, live rows as soon as the data key unlocks;
 * then the file is rebuilt (VACUUM, WAL truncated) so no old page keeps a PAN.
 */
export class ReversalQueue {
  readonly #hub = new EventHub<{ owed: number }>();
  readonly #fields: CardholderFields;
  readonly #conversion: OlderFileConversion;
  #ready: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly cipher: StorageCipher,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS reversals (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      state TEXT NOT NULL,
      reason TEXT,
      original TEXT NOT NULL,
      dispensed_minor INTEGER,
      stan TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      sealed BLOB)`);
    const columns = db.prepare(`PRAGMA table_info(reversals)`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'sealed')) db.exec(`ALTER TABLE reversals ADD COLUMN sealed BLOB`);
    this.#fields = new CardholderFields(cipher);
    this.#conversion = new OlderFileConversion(db);
    this.#conversion.convertFinished();
  }

  /**
   * Unlocks the data key and seals what an older version left in clear; `prepare` and
   * `openOriginal` do it themselves. Rejects (StorageKeyError) while the key cannot be unlocked.
   */
  unlock(): Promise<void> {
    this.#ready ??= this.cipher.unlock().then(
      () => this.#conversion.convertLive(this.#fields),
      (err: unknown) => {
        this.#ready = null;
        throw err;
      },
    );
    return this.#ready;
  }

  /** Called whenever a reversal becomes owed, so the sender can start. */
  onOwed(listener: (id: number) => void): Unsubscribe {
    return this.#hub.on('owed', listener);
  }

  /** Records what a reversal of `original` would need; call (and await) before sending `original`. */
  async prepare(original: IsoMessage): Promise<number> {
    await this.unlock();
    const fields: Record<string, string> = {};
    for (const id of KEPT_FIELDS) {
      const value = original.fields.get(id);
      if (typeof value === 'string') fields[id] = value;
    }
    const { kept, sealed } = this.#fields.seal({ mti: original.mti, fields });
    const now = this.clock.now();
    const result = this.db
      .prepare(
        `INSERT INTO reversals (state, original, sealed, created_at, updated_at) VALUES ('prepared', ?, ?, ?, ?)`,
      )
      .run(JSON.stringify(kept), sealed, now, now);
    return Number(result.lastInsertRowid);
  }

  /** The original with its cardholder fields opened: what the 0420 repeats. Rejects while the data key is locked. */
  async openOriginal(record: ReversalRecord): Promise<Original> {
    await this.unlock();
    const row = this.db.prepare(`SELECT sealed FROM reversals WHERE id = ?`).get(record.id) as
      | { sealed: Uint8Array | null }
      | undefined;
    return this.#fields.open(record.original, row?.sealed ?? null);
  }

  /** The original completed normally: nothing to reverse. Only a prepared reversal can be canceled. */
  cancel(id: number): boolean {
    return this.#move(id, ['prepared'], 'canceled');
  }

  /**
   * The original must be undone. `dispensedMinor` is the cash that did leave (partial dispense,
   * DE95). Returns false when the reversal is not prepared (already owed, canceled or done).
   */
  owe(id: number, reason: ReversalReason, dispensedMinor?: number): boolean {
    const changed = this.db
      .prepare(
        `UPDATE reversals SET state = 'owed', reason = ?, dispensed_minor = ?, next_attempt_at = 0, updated_at = ? WHERE id = ? AND state = 'prepared'`,
      )
      .run(reason, dispensedMinor ?? null, this.clock.now(), id).changes;
    if (changed > 0) this.#hub.emit('owed', id);
    return changed > 0;
  }

  /**
   * At start-up, a reversal still `prepared` belongs to a request whose outcome died with the last
   * process. It becomes owed ('interrupted'); call this before the sender starts, after the runtime
   * has settled anything its own recovery knows better (e.g. a dispenser log that proves a dispense).
   */
  recoverInterrupted(): number {
    const ids = (
      this.db.prepare(`SELECT id FROM reversals WHERE state = 'prepared' ORDER BY id`).all() as { id: number }[]
    ).map((r) => r.id);
    for (const id of ids) this.owe(id, 'interrupted');
    return ids.length;
  }

  /** Reversals still waiting for their original's outcome, oldest first (what start-up recovery settles). */
  prepared(): ReversalRecord[] {
    return (this.db.prepare(`SELECT * FROM reversals WHERE state = 'prepared' ORDER BY id`).all() as Row[]).map(
      toRecord,
    );
  }

  /** Owed and sent reversals, oldest first: the order they must reach the host. */
  outstanding(): ReversalRecord[] {
    return (this.db.prepare(`SELECT * FROM reversals WHERE state IN ('owed', 'sent') ORDER BY id`).all() as Row[]).map(
      toRecord,
    );
  }

  get(id: number): ReversalRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM reversals WHERE id = ?`).get(id) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Persists an attempt before it is sent: the STAN it uses and when the next may go. */
  recordAttempt(id: number, stan: string, nextAttemptAt: number): void {
    this.db
      .prepare(
        `UPDATE reversals SET state = 'sent', stan = ?, attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE id = ? AND state IN ('owed', 'sent')`,
      )
      .run(stan, nextAttemptAt, this.clock.now(), id);
  }

  /** A 0430 arrived. */
  acknowledge(id: number): boolean {
    return this.#move(id, ['sent'], 'acknowledged');
  }

  /** Canceled and acknowledged are final: the cardholder fields go (secure_delete zeroes them in the file). */
  #move(id: number, from: readonly ReversalState[], to: ReversalState): boolean {
    const placeholders = from.map(() => '?').join(', ');
    return (
      this.db
        .prepare(
          `UPDATE reversals SET state = ?, sealed = NULL, updated_at = ? WHERE id = ? AND state IN (${placeholders})`,
        )
        .run(to, this.clock.now(), id, ...from).changes > 0
    );
  }
}
