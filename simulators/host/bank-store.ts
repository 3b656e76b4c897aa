import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';

export interface Account {
  readonly number: string;
  /** Customer id: two accounts of one owner at this bank make an own-account transfer. */
  readonly owner: string;
  readonly name: string;
  readonly balanceMinor: number;
  /** Held at this bank (the PBOC own-account exemption needs the same bank). */
  readonly sameBank: boolean;
}

export interface Card {
  readonly pan: string;
  readonly account: string;
  readonly pinTries: number;
  readonly dailyLimitMinor: number;
  readonly status: 'active' | 'lost';
  readonly psn: string;
}

/**
 * A cardless withdrawal booked in the bank's app: the code the app showed (QR or digits), the
 * account it debits, the amount, when it lapses and whether it was paid out. Its PIN is the
 * withdrawal PIN the customer set in the app, kept as a hash over the account number (the PAN
 * field of the kiosk's format 0 PIN block).
 */
export interface Appointment {
  readonly code: string;
  readonly reference: string;
  readonly account: string;
  readonly amountMinor: number;
  readonly expiresAt: number;
  readonly pinTries: number;
  /** When the cash was paid out (the withdrawal approved); null while unused. */
  readonly usedAt: number | null;
}

export interface PendingTransfer {
  readonly reference: string;
  readonly from: string;
  readonly to: string;
  readonly amountMinor: number;
  readonly acceptedAt: number;
  readonly executeAt: number;
  readonly state: 'pending' | 'executed' | 'revoked';
}

/** What a processed request did, so a reversal can undo exactly that. */
export type Effect =
  | {
      readonly kind: 'debit';
      readonly account: string;
      readonly pan: string;
      readonly day: string;
      readonly amountMinor: number;
      readonly cash: boolean;
      /** The appointment this debit paid out; a full reversal makes it usable again. */
      readonly appointment?: string;
    }
  | {
      readonly kind: 'credit';
      readonly account: string;
      readonly pan: string;
      readonly day: string;
      readonly amountMinor: number;
      readonly cash: boolean;
    }
  | { readonly kind: 'transfer'; readonly reference: string };

export const DEFAULT_DAILY_LIMIT_MINOR = 2_000_000;

/** The issuer keeps a salted hash of the PIN, never the PIN (an "offset/hash" in host-crypto terms). */
export const pinHash = (pan: string, pin: string): string => createHash('sha256').update(`${pan}:${pin}`).digest('hex');

/** The simulated bank's books in SQLite (`<dir>/host-sim.sqlite`), so they survive simulator restarts. */
export class BankStore {
  readonly db: Db;

  constructor(dir: string) {
    this.db = new Database(join(dir, 'host-sim.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS accounts (number TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, balance INTEGER NOT NULL, same_bank INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS cards (pan TEXT PRIMARY KEY, account TEXT NOT NULL, pin_hash TEXT NOT NULL, pin_tries INTEGER NOT NULL DEFAULT 0,
        daily_limit INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'active', psn TEXT NOT NULL DEFAULT '01');
      CREATE TABLE IF NOT EXISTS usage (pan TEXT NOT NULL, day TEXT NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0, cash INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (pan, day));
      CREATE TABLE IF NOT EXISTS large_cash (id INTEGER PRIMARY KEY, pan TEXT NOT NULL, day TEXT NOT NULL, total INTEGER NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS transfers (reference TEXT PRIMARY KEY, from_account TEXT NOT NULL, to_account TEXT NOT NULL, amount INTEGER NOT NULL,
        accepted_at INTEGER NOT NULL, execute_at INTEGER NOT NULL, state TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, account TEXT NOT NULL, at INTEGER NOT NULL, amount INTEGER NOT NULL, description TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS processed (terminal TEXT NOT NULL, stan TEXT NOT NULL, mti TEXT NOT NULL, effect TEXT, reversed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (terminal, stan, mti));
      CREATE TABLE IF NOT EXISTS reversals (id INTEGER PRIMARY KEY, terminal TEXT NOT NULL, stan TEXT NOT NULL, mti TEXT NOT NULL, original_stan TEXT NOT NULL,
        reason TEXT, replacement TEXT, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS terminals (id TEXT PRIMARY KEY, pik TEXT NOT NULL, mak TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS appointments (code TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE, account TEXT NOT NULL,
        amount INTEGER NOT NULL, pin_hash TEXT NOT NULL, pin_tries INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL, used_at INTEGER);
    `);
  }

  close(): void {
    this.db.close();
  }

  get empty(): boolean {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n === 0;
  }

  // ---- accounts and cards ----

  putAccount(a: Account): void {
    this.db
      .prepare('INSERT OR REPLACE INTO accounts (number, owner, name, balance, same_bank) VALUES (?, ?, ?, ?, ?)')
      .run(a.number, a.owner, a.name, a.balanceMinor, a.sameBank ? 1 : 0);
  }

  account(number: string): Account | undefined {
    const r = this.db.prepare('SELECT * FROM accounts WHERE number = ?').get(number) as
      | { number: string; owner: string; name: string; balance: number; same_bank: number }
      | undefined;
    return (
      r && { number: r.number, owner: r.owner, name: r.name, balanceMinor: r.balance, sameBank: r.same_bank === 1 }
    );
  }

  accounts(): Account[] {
    return (this.db.prepare('SELECT number FROM accounts ORDER BY number').all() as { number: string }[]).map(
      (r) => this.account(r.number)!,
    );
  }

  /** Moves money on one account and writes its statement line. */
  post(account: string, amountMinor: number, description: string, at: number): void {
    this.db.prepare('UPDATE accounts SET balance = balance + ? WHERE number = ?').run(amountMinor, account);
    this.db
      .prepare('INSERT INTO ledger (account, at, amount, description) VALUES (?, ?, ?, ?)')
      .run(account, at, amountMinor, description);
  }

  statement(account: string, lines: number): { at: number; amount: number; description: string }[] {
    return this.db
      .prepare('SELECT at, amount, description FROM ledger WHERE account = ? ORDER BY id DESC LIMIT ?')
      .all(account, lines) as {
      at: number;
      amount: number;
      description: string;
    }[];
  }

  putCard(c: {
    pan: string;
    account: string;
    pin: string;
    dailyLimitMinor?: number;
    status?: Card['status'];
    psn?: string;
  }): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO cards (pan, account, pin_hash, pin_tries, daily_limit, status, psn) VALUES (?, ?, ?, 0, ?, ?, ?)',
      )
      .run(
        c.pan,
        c.account,
        pinHash(c.pan, c.pin),
        c.dailyLimitMinor ?? DEFAULT_DAILY_LIMIT_MINOR,
        c.status ?? 'active',
        c.psn ?? '01',
      );
  }

  card(pan: string): (Card & { pinHash: string }) | undefined {
    const r = this.db.prepare('SELECT * FROM cards WHERE pan = ?').get(pan) as
      | {
          pan: string;
          account: string;
          pin_hash: string;
          pin_tries: number;
          daily_limit: number;
          status: Card['status'];
          psn: string;
        }
      | undefined;
    return (
      r && {
        pan: r.pan,
        account: r.account,
        pinHash: r.pin_hash,
        pinTries: r.pin_tries,
        dailyLimitMinor: r.daily_limit,
        status: r.status,
        psn: r.psn,
      }
    );
  }

  cards(): Card[] {
    return (this.db.prepare('SELECT pan FROM cards ORDER BY pan').all() as { pan: string }[]).map((r) => {
      const { pinHash: _hidden, ...card } = this.card(r.pan)!;
      return card;
    });
  }

  setPinTries(pan: string, tries: number): void {
    this.db.prepare('UPDATE cards SET pin_tries = ? WHERE pan = ?').run(tries, pan);
  }

  setPin(pan: string, pin: string): void {
    this.db.prepare('UPDATE cards SET pin_hash = ?, pin_tries = 0 WHERE pan = ?').run(pinHash(pan, pin), pan);
  }

  // ---- daily usage and large cash ----

  usage(pan: string, day: string): { withdrawn: number; cash: number; flagged: boolean } {
    const r = this.db.prepare('SELECT withdrawn, cash, flagged FROM usage WHERE pan = ? AND day = ?').get(pan, day) as
      | { withdrawn: number; cash: number; flagged: number }
      | undefined;
    return { withdrawn: r?.withdrawn ?? 0, cash: r?.cash ?? 0, flagged: r?.flagged === 1 };
  }

  addUsage(pan: string, day: string, withdrawn: number, cash: number): void {
    this.db
      .prepare(
        `INSERT INTO usage (pan, day, withdrawn, cash) VALUES (?, ?, ?, ?)
         ON CONFLICT (pan, day) DO UPDATE SET withdrawn = withdrawn + excluded.withdrawn, cash = cash + excluded.cash`,
      )
      .run(pan, day, withdrawn, cash);
  }

  flagLargeCash(pan: string, day: string, total: number, at: number): void {
    this.db.prepare('UPDATE usage SET flagged = 1 WHERE pan = ? AND day = ?').run(pan, day);
    this.db.prepare('INSERT INTO large_cash (pan, day, total, at) VALUES (?, ?, ?, ?)').run(pan, day, total, at);
  }

  largeCash(): { pan: string; day: string; totalMinor: number; at: number }[] {
    return (
      this.db.prepare('SELECT pan, day, total, at FROM large_cash ORDER BY id').all() as {
        pan: string;
        day: string;
        total: number;
        at: number;
      }[]
    ).map((r) => ({ pan: r.pan, day: r.day, totalMinor: r.total, at: r.at }));
  }

  // ---- transfers ----

  putTransfer(t: PendingTransfer): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO transfers (reference, from_account, to_account, amount, accepted_at, execute_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(t.reference, t.from, t.to, t.amountMinor, t.acceptedAt, t.executeAt, t.state);
  }

  transfers(where = '1 = 1', ...params: unknown[]): PendingTransfer[] {
    return (
      this.db.prepare(`SELECT * FROM transfers WHERE ${where} ORDER BY accepted_at, reference`).all(...params) as {
        reference: string;
        from_account: string;
        to_account: string;
        amount: number;
        accepted_at: number;
        execute_at: number;
        state: PendingTransfer['state'];
      }[]
    ).map((r) => ({
      reference: r.reference,
      from: r.from_account,
      to: r.to_account,
      amountMinor: r.amount,
      acceptedAt: r.accepted_at,
      executeAt: r.execute_at,
      state: r.state,
    }));
  }

  // ---- processed requests and reversals ----

  recordProcessed(terminal: string, stan: string, mti: string, effect: Effect | null): void {
    this.db
      .prepare('INSERT OR REPLACE INTO processed (terminal, stan, mti, effect) VALUES (?, ?, ?, ?)')
      .run(terminal, stan, mti, effect && JSON.stringify(effect));
  }

  processed(terminal: string, stan: string, mti: string): { effect: Effect | null; reversed: boolean } | undefined {
    const r = this.db
      .prepare('SELECT effect, reversed FROM processed WHERE terminal = ? AND stan = ? AND mti = ?')
      .get(terminal, stan, mti) as { effect: string | null; reversed: number } | undefined;
    return r && { effect: r.effect === null ? null : (JSON.parse(r.effect) as Effect), reversed: r.reversed === 1 };
  }

  markReversed(terminal: string, stan: string, mti: string): void {
    this.db
      .prepare('UPDATE processed SET reversed = 1 WHERE terminal = ? AND stan = ? AND mti = ?')
      .run(terminal, stan, mti);
  }

  recordReversal(r: {
    terminal: string;
    stan: string;
    mti: string;
    originalStan: string;
    reason?: string;
    replacement?: string;
    at: number;
  }): void {
    this.db
      .prepare(
        'INSERT INTO reversals (terminal, stan, mti, original_stan, reason, replacement, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(r.terminal, r.stan, r.mti, r.originalStan, r.reason ?? null, r.replacement ?? null, r.at);
  }

  reversals(): {
    terminal: string;
    stan: string;
    mti: string;
    originalStan: string;
    reason: string | null;
    replacement: string | null;
    at: number;
  }[] {
    return (
      this.db.prepare('SELECT * FROM reversals ORDER BY id').all() as {
        terminal: string;
        stan: string;
        mti: string;
        original_stan: string;
        reason: string | null;
        replacement: string | null;
        at: number;
      }[]
    ).map((r) => ({
      terminal: r.terminal,
      stan: r.stan,
      mti: r.mti,
      originalStan: r.original_stan,
      reason: r.reason,
      replacement: r.replacement,
      at: r.at,
    }));
  }

  // ---- appointments (cardless withdrawals) ----

  putAppointment(a: { code: string; reference: string; account: string; amountMinor: number; pin: string; expiresAt: number }): void {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO appointments (code, reference, account, amount, pin_hash, pin_tries, expires_at, used_at) VALUES (?, ?, ?, ?, ?, 0, ?, NULL)',
      )
      .run(a.code, a.reference, a.account, a.amountMinor, pinHash(a.account, a.pin), a.expiresAt);
  }

  appointment(where: 'code' | 'reference', value: string): (Appointment & { pinHash: string }) | undefined {
    const r = this.db.prepare(`SELECT * FROM appointments WHERE ${where} = ?`).get(value) as
      | {
          code: string;
          reference: string;
          account: string;
          amount: number;
          pin_hash: string;
          pin_tries: number;
          expires_at: number;
          used_at: number | null;
        }
      | undefined;
    return (
      r && {
        code: r.code,
        reference: r.reference,
        account: r.account,
        amountMinor: r.amount,
        pinHash: r.pin_hash,
        pinTries: r.pin_tries,
        expiresAt: r.expires_at,
        usedAt: r.used_at,
      }
    );
  }

  appointments(): Appointment[] {
    return (this.db.prepare('SELECT code FROM appointments ORDER BY rowid').all() as { code: string }[]).map((r) => {
      const { pinHash: _hidden, ...appointment } = this.appointment('code', r.code)!;
      return appointment;
    });
  }

  setAppointmentPinTries(reference: string, tries: number): void {
    this.db.prepare('UPDATE appointments SET pin_tries = ? WHERE reference = ?').run(tries, reference);
  }

  /** `at` null makes a reversed appointment usable again. */
  setAppointmentUsed(reference: string, at: number | null): void {
    this.db.prepare('UPDATE appointments SET used_at = ? WHERE reference = ?').run(at, reference);
  }

  // ---- terminal keys ----

  putTerminalKeys(id: string, pik: string, mak: string): void {
    this.db.prepare('INSERT OR REPLACE INTO terminals (id, pik, mak) VALUES (?, ?, ?)').run(id, pik, mak);
  }

  terminalKeys(id: string): { pik: Buffer; mak: Buffer } | undefined {
    const r = this.db.prepare('SELECT pik, mak FROM terminals WHERE id = ?').get(id) as
      | { pik: string; mak: string }
      | undefined;
    return r && { pik: Buffer.from(r.pik, 'hex'), mak: Buffer.from(r.mak, 'hex') };
  }
}
