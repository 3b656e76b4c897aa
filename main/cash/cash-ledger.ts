import Database from 'better-sqlite3';
import type { Clock } from '../../drivers/common/clock.js';
import { addCounts, freshCounts, replenishmentStatus, unitCount } from '../../drivers/storage/accounting.js';
import type {
  Banknote,
  CashUnitCounts,
  CashUnitType,
  CountedRecord,
  CountsDelta,
  ReplenishmentStatus,
  UnitLimits,
} from '../../drivers/storage/contract.js';

/** A cash unit as the ledger keeps it. */
export interface LedgerUnit {
  readonly id: string;
  readonly types: readonly CashUnitType[];
  readonly currency: string;
  /** Face value in minor units; 0 for mixed units (reject, retract, cash-in). */
  readonly value: number;
  readonly limits: UnitLimits;
  readonly counts: CashUnitCounts;
  /** initial + Σin − Σout. */
  readonly count: number;
  readonly replenishment: ReplenishmentStatus;
}

export type UnitConfiguration = Pick<LedgerUnit, 'id' | 'types' | 'currency' | 'value' | 'limits'> & {
  readonly initial: number;
};

/** Where a note went, for the banknote-serial (冠字号) record. */
export type NoteMovement = 'dispensed' | 'deposited' | 'retracted' | 'rejected' | 'returned' | 'retained';

export interface NoteRecord extends Banknote {
  readonly movement: NoteMovement;
  readonly unitId: string;
  readonly txId: string;
  readonly at: number;
}

/** A refused ledger operation, with the XFS4IoT Storage error it corresponds to. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: 'exchangeActive' | 'transactionActive' | 'noExchangeActive' | 'invalidUnit' | 'countsInvalid',
    message: string,
  ) {
    super(message);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS units (
  id TEXT PRIMARY KEY,
  config TEXT NOT NULL,
  counts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY,
  serial TEXT,
  currency TEXT NOT NULL,
  value INTEGER NOT NULL,
  movement TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  tx_id TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_serial ON notes (serial);
CREATE INDEX IF NOT EXISTS notes_tx ON notes (tx_id);
CREATE TABLE IF NOT EXISTS state (
  key TEXT PRIMARY KEY,
  value TEXT
);
`;

/** State keys: the device record a device's stored counters include; a card unit's count. */
const COUNTED = 'counted:';
const CARDS = 'cards:';

/**
 * The kiosk's cash accounting after XFS4IoT Storage, durable in SQLite (WAL,
 * synchronous=FULL): per-unit counters in buckets, thresholds, the exchange
 * (replenishment) lifecycle, and every banknote serial that moved. Each call
 * is one transaction, so counts survive a crash exactly as last committed.
 */
export class CashLedger {
  private readonly db: Database.Database;
  private readonly getUnit: Database.Statement<[string], { config: string; counts: string }>;
  private readonly putCounts: Database.Statement<[string, string]>;
  private readonly insertNote: Database.Statement<[string | null, string, number, string, string, string, number]>;
  private readonly getState: Database.Statement<[string], { value: string | null }>;
  private readonly setState: Database.Statement<[string, string | null]>;
  private readonly listUnits: Database.Statement<[], { config: string; counts: string }>;
  private readonly upsertUnit: Database.Statement<[string, string, string]>;

  constructor(
    path: string,
    private readonly clock: Clock,
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.getUnit = this.db.prepare('SELECT config, counts FROM units WHERE id = ?');
    this.putCounts = this.db.prepare('UPDATE units SET counts = ? WHERE id = ?');
    this.insertNote = this.db.prepare(
      'INSERT INTO notes (serial, currency, value, movement, unit_id, tx_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.getState = this.db.prepare('SELECT value FROM state WHERE key = ?');
    this.setState = this.db.prepare(
      'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.listUnits = this.db.prepare('SELECT config, counts FROM units ORDER BY id');
    this.upsertUnit = this.db.prepare(
      'INSERT INTO units (id, config, counts) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET config = excluded.config, counts = excluded.counts',
    );
  }

  close(): void {
    this.db.close();
  }

  units(): LedgerUnit[] {
    return this.listUnits.all().map(toUnit);
  }

  unit(id: string): LedgerUnit {
    const row = this.getUnit.get(id);
    if (!row) throw new LedgerError('invalidUnit', `no cash unit "${id}"`);
    return toUnit(row);
  }

  /** The customer transaction in progress, if any (XFS4IoT SetTransactionState). */
  activeTransaction(): string | undefined {
    return this.getState.get('transaction')?.value ?? undefined;
  }

  setTransaction(txId: string | undefined): void {
    if (txId !== undefined && this.exchangeActive()) {
      throw new LedgerError('exchangeActive', 'a replenishment exchange is in progress');
    }
    this.setState.run('transaction', txId ?? null);
  }

  exchangeActive(): boolean {
    return this.getState.get('exchange')?.value === 'active';
  }

  /** Starts a replenishment; refused while a customer transaction is active. */
  startExchange(): void {
    const tx = this.activeTransaction();
    if (tx !== undefined) throw new LedgerError('transactionActive', `customer transaction ${tx} is active`);
    this.setState.run('exchange', 'active');
  }

  /** Replaces the unit configuration and initial counts; only inside an exchange. */
  setUnits(units: readonly UnitConfiguration[]): void {
    if (!this.exchangeActive()) throw new LedgerError('noExchangeActive', 'start an exchange first');
    const ids = new Set<string>();
    for (const u of units) {
      if (ids.has(u.id)) throw new LedgerError('invalidUnit', `duplicate unit "${u.id}"`);
      ids.add(u.id);
      if (!Number.isInteger(u.initial) || u.initial < 0)
        throw new LedgerError('countsInvalid', `bad initial count for ${u.id}`);
    }
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM units').run();
      // The new counts include no device record: whatever a device shows at its next start is the baseline.
      this.db.prepare(`DELETE FROM state WHERE key LIKE '${COUNTED}%'`).run();
      const insert = this.db.prepare('INSERT INTO units (id, config, counts) VALUES (?, ?, ?)');
      for (const { initial, ...config } of units) {
        insert.run(config.id, JSON.stringify(config), JSON.stringify(freshCounts(initial)));
      }
    })();
  }

  endExchange(): void {
    if (!this.exchangeActive()) throw new LedgerError('noExchangeActive', 'no exchange in progress');
    this.setState.run('exchange', null);
  }

  /**
   * Stores the units and counters a cash device reports about itself (after
   * every cash movement and at start-up), so the kiosk's accounting survives a
   * crash exactly as the device last stated it, together with the device
   * record each device's counters include (by device id). Refused during an
   * exchange, when the custodian's counts are authoritative.
   */
  recordDeviceUnits(
    units: readonly (Omit<UnitConfiguration, 'initial'> & { readonly counts: CashUnitCounts })[],
    counted: Readonly<Record<string, CountedRecord | undefined>> = {},
  ): void {
    if (this.exchangeActive()) throw new LedgerError('exchangeActive', 'cash units are being replenished');
    this.db.transaction(() => {
      for (const { counts, ...config } of units)
        this.upsertUnit.run(config.id, JSON.stringify(config), JSON.stringify(counts));
      for (const [deviceId, record] of Object.entries(counted)) {
        this.setState.run(COUNTED + deviceId, record === undefined ? null : JSON.stringify(record));
      }
    })();
  }

  /** The device record the stored counters of that device include, as last recorded. */
  countedRecord(deviceId: string): CountedRecord | undefined {
    const value = this.getState.get(COUNTED + deviceId)?.value;
    return value ? (JSON.parse(value) as CountedRecord) : undefined;
  }

  /** A card unit's count (cards retained by a reader that keeps no count), kept as durably as the cash. */
  cardCount(unitId: string): number | undefined {
    const value = this.getState.get(CARDS + unitId)?.value;
    return value ? Number(value) : undefined;
  }

  setCardCount(unitId: string, count: number): void {
    if (!Number.isSafeInteger(count) || count < 0)
      throw new LedgerError('countsInvalid', `bad card count for ${unitId}`);
    this.setState.run(CARDS + unitId, String(count));
  }

  /**
   * Applies count deltas reported by a cash device and records the notes that
   * moved, atomically. Refused during an exchange.
   */
  apply(
    txId: string,
    deltas: Readonly<Record<string, CountsDelta>>,
    notes: readonly (Banknote & { unitId: string; movement: NoteMovement })[] = [],
  ): void {
    if (this.exchangeActive()) throw new LedgerError('exchangeActive', 'cash units are being replenished');
    const at = this.clock.now();
    this.db.transaction(() => {
      for (const [id, delta] of Object.entries(deltas)) {
        const current = this.unit(id);
        let next: CashUnitCounts;
        try {
          next = addCounts(current.counts, delta);
        } catch (err) {
          throw new LedgerError('countsInvalid', `${id}: ${(err as Error).message}`);
        }
        this.putCounts.run(JSON.stringify(next), id);
      }
      for (const note of notes) {
        this.insertNote.run(note.serialNumber ?? null, note.currency, note.value, note.movement, note.unitId, txId, at);
      }
    })();
  }

  /** Every recorded movement of a note, oldest first: answers "which ATM gave me this note?". */
  findNote(serial: string): NoteRecord[] {
    const rows = this.db
      .prepare('SELECT serial, currency, value, movement, unit_id, tx_id, at FROM notes WHERE serial = ? ORDER BY id')
      .all(serial) as {
      serial: string;
      currency: string;
      value: number;
      movement: NoteMovement;
      unit_id: string;
      tx_id: string;
      at: number;
    }[];
    return rows.map((r) => ({
      serialNumber: r.serial,
      currency: r.currency,
      value: r.value,
      movement: r.movement,
      unitId: r.unit_id,
      txId: r.tx_id,
      at: r.at,
    }));
  }

  /** The notes a transaction moved. */
  notesOf(txId: string): NoteRecord[] {
    const rows = this.db
      .prepare('SELECT serial, currency, value, movement, unit_id, at FROM notes WHERE tx_id = ? ORDER BY id')
      .all(txId) as {
      serial: string | null;
      currency: string;
      value: number;
      movement: NoteMovement;
      unit_id: string;
      at: number;
    }[];
    return rows.map((r) => ({
      ...(r.serial === null ? {} : { serialNumber: r.serial }),
      currency: r.currency,
      value: r.value,
      movement: r.movement,
      unitId: r.unit_id,
      txId,
      at: r.at,
    }));
  }
}

function toUnit(row: { config: string; counts: string }): LedgerUnit {
  const config = JSON.parse(row.config) as Omit<UnitConfiguration, 'initial'>;
  const counts = JSON.parse(row.counts) as CashUnitCounts;
  const count = unitCount(counts);
  return { ...config, counts, count, replenishment: replenishmentStatus(count, config.limits) };
}
