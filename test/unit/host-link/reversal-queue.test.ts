/** The reversal queue's states and persistence, its sealed cardholder fields, the 0420/0421 it builds, and the STAN counter. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { aes } from '../../../main/crypto/aes.js';
import {
  ReversalQueue,
  StorageCipher,
  StorageKeyError,
  openLinkDb,
  type DataKeyWrapper,
} from '../../../main/host-link/index.js';
import type { IsoMessage } from '../../../main/host-link/iso8583/index.js';
import type { Db } from '../../../main/host-link/link/db.js';
import { Sequences } from '../../../main/host-link/link/sequence.js';
import { reversalMessage } from '../../../main/host-link/reversals/message.js';

let dir: string;
let db: Db;
let clock: ManualClock;
let queue: ReversalQueue;
const file = () => join(dir, 'link.sqlite');

/** Stands in for the PIN pad's storage key: the data key is wrapped under a KEK the test holds. */
function wrapperUnder(kek: Uint8Array): DataKeyWrapper & { calls: number } {
  const cipher = aes(kek);
  return {
    calls: 0,
    async wrap(key) {
      this.calls++;
      return cipher.encrypt(key);
    },
    async unwrap(wrapped) {
      this.calls++;
      return cipher.decrypt(wrapped);
    },
  };
}
const KEK = Buffer.alloc(32, 0x5a);
const open = (wrapper: DataKeyWrapper = wrapperUnder(KEK)): ReversalQueue =>
  new ReversalQueue(db, clock, new StorageCipher(db, wrapper));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reversal-queue-'));
  db = openLinkDb(file());
  clock = new ManualClock(Date.UTC(2026, 10, 24, 12));
  queue = open();
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const PAN = '6212341234567890';
const PAYEE = '6228480000000004';
/** Every byte SQLite keeps for the link: the file and its WAL. */
const fileBytes = (): string =>
  [file(), `${file()}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');

const ORIGINAL: IsoMessage = {
  mti: '0200',
  fields: new Map<number, string | Uint8Array>([
    [2, '6212341234567890'],
    [3, '010000'],
    [4, '000000050000'],
    [7, '1124120000'],
    [11, '000123'],
    [32, '12345678'],
    [35, '6212341234567890=30122010000000000'],
    [37, '633012000123'],
    [41, 'ATM00001'],
    [52, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)],
  ]),
};

const TRANSFER: IsoMessage = {
  mti: '0200',
  fields: new Map<number, string | Uint8Array>([
    [2, PAN],
    [3, '400000'],
    [4, '000000100000'],
    [7, '1124120100'],
    [11, '000124'],
    [14, '3012'],
    [41, 'ATM00001'],
    [102, PAN],
    [103, PAYEE],
  ]),
};

describe('states', () => {
  it('prepared → canceled; a canceled reversal cannot become owed', async () => {
    const id = await queue.prepare(ORIGINAL);
    expect(queue.get(id)!.state).toBe('prepared');
    expect(queue.cancel(id)).toBe(true);
    expect(queue.owe(id, 'cashRetracted')).toBe(false);
    expect(queue.outstanding()).toEqual([]);
  });

  it('prepared → owed → sent → acknowledged, announcing the owed one', async () => {
    const owed: number[] = [];
    queue.onOwed((id) => owed.push(id));
    const id = await queue.prepare(ORIGINAL);
    expect(queue.owe(id, 'partialDispense', 30_000)).toBe(true);
    expect(owed).toEqual([id]);
    expect(queue.cancel(id)).toBe(false);
    queue.recordAttempt(id, '000200', clock.now() + 10_000);
    expect(queue.get(id)).toMatchObject({ state: 'sent', stan: '000200', attempts: 1, dispensedMinor: 30_000 });
    expect(queue.acknowledge(id)).toBe(true);
    expect(queue.outstanding()).toEqual([]);
  });

  it('keeps neither the PIN block nor track 2; the PAN only sealed, opened for the 0420', async () => {
    const id = await queue.prepare(ORIGINAL);
    const record = queue.get(id)!;
    expect(Object.keys(record.original.fields)).toEqual(['3', '4', '7', '11', '32', '37', '41']);
    expect(Object.keys((await queue.openOriginal(record)).fields)).toEqual(['2', '3', '4', '7', '11', '32', '37', '41']);
    expect((await queue.openOriginal(record)).fields['2']).toBe(PAN);
  });

  it('survives a reopen; prepared ones become owed only on recoverInterrupted, oldest first', async () => {
    const a = await queue.prepare(ORIGINAL);
    const b = await queue.prepare(ORIGINAL);
    queue.owe(b, 'timeout');
    db.close();
    db = openLinkDb(file());
    queue = open();
    expect(queue.outstanding().map((r) => r.id)).toEqual([b]);
    expect(queue.recoverInterrupted()).toBe(1);
    expect(queue.outstanding().map((r) => [r.id, r.reason])).toEqual([
      [a, 'interrupted'],
      [b, 'timeout'],
    ]);
    expect((await queue.openOriginal(queue.get(a)!)).fields['2']).toBe(PAN);
  });
});

describe('cardholder data at rest', () => {
  it('the file holds no PAN, expiry or payee account digits; all open again after a reopen', async () => {
    const a = await queue.prepare(ORIGINAL);
    const b = await queue.prepare(TRANSFER);
    queue.owe(a, 'timeout');
    queue.owe(b, 'timeout');
    db.close();
    expect(fileBytes()).not.toContain(PAN);
    expect(fileBytes()).not.toContain(PAYEE);
    db = openLinkDb(file());
    queue = open();
    expect((await queue.openOriginal(queue.get(b)!)).fields).toMatchObject({ 2: PAN, 14: '3012', 102: PAN, 103: PAYEE });
  });

  it('drops the sealed fields once a reversal is canceled or acknowledged', async () => {
    const a = await queue.prepare(ORIGINAL);
    const b = await queue.prepare(ORIGINAL);
    queue.cancel(a);
    queue.owe(b, 'timeout');
    queue.recordAttempt(b, '000200', 0);
    queue.acknowledge(b);
    const sealed = db.prepare(`SELECT sealed FROM reversals ORDER BY id`).all();
    expect(sealed).toEqual([{ sealed: null }, { sealed: null }]);
  });

  it('wraps the data key once; another key (another PIN pad) cannot unwrap it, and nothing is prepared then', async () => {
    const wrapper = wrapperUnder(KEK);
    queue = open(wrapper);
    await queue.prepare(ORIGINAL);
    await queue.prepare(ORIGINAL);
    expect(wrapper.calls).toBe(2); // wrap, and the unwrap that checks it
    const [row] = db.prepare(`SELECT wrapped FROM data_keys`).all() as { wrapped: Buffer }[];
    expect(row!.wrapped).toHaveLength(32);

    const stranger = open(wrapperUnder(Buffer.alloc(32, 0x11)));
    await expect(stranger.prepare(ORIGINAL)).rejects.toBeInstanceOf(StorageKeyError);
    await expect(stranger.openOriginal(queue.get(1)!)).rejects.toBeInstanceOf(StorageKeyError);
    expect(db.prepare(`SELECT count(*) AS n FROM reversals`).get()).toEqual({ n: 2 });
  });

  it('a PIN pad that is offline leaves the key locked, and a later call unlocks it', async () => {
    const fresh = join(dir, 'fresh.sqlite');
    const other = openLinkDb(fresh);
    let offline = true;
    const inner = wrapperUnder(KEK);
    const flaky: DataKeyWrapper = {
      wrap: (k) => (offline ? Promise.reject(new Error('pad offline')) : inner.wrap(k)),
      unwrap: (w) => (offline ? Promise.reject(new Error('pad offline')) : inner.unwrap(w)),
    };
    const q = new ReversalQueue(other, clock, new StorageCipher(other, flaky));
    await expect(q.prepare(ORIGINAL)).rejects.toBeInstanceOf(StorageKeyError);
    offline = false;
    expect(await q.prepare(ORIGINAL)).toBe(1);
    other.close();
  });

  it('a sealed value copied onto another reversal does not open there', async () => {
    const a = await queue.prepare(ORIGINAL);
    const b = await queue.prepare(TRANSFER);
    db.prepare(`UPDATE reversals SET sealed = (SELECT sealed FROM reversals WHERE id = ?) WHERE id = ?`).run(a, b);
    await expect(queue.openOriginal(queue.get(b)!)).rejects.toBeInstanceOf(StorageKeyError);
  });
});

describe('a link file written by the previous version (PAN in clear)', () => {
  /** The previous version's table and rows, as its ReversalQueue wrote them (no `sealed` column, all fields in `original`). */
  function writeLegacyFile(path: string): void {
    const legacy = openLinkDb(path);
    legacy.pragma('secure_delete = OFF'); // as the previous version left its file
    legacy.exec(`CREATE TABLE IF NOT EXISTS reversals (
      id INTEGER PRIMARY KEY AUTOINCREMENT, state TEXT NOT NULL, reason TEXT, original TEXT NOT NULL,
      dispensed_minor INTEGER, stan TEXT, attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    const row = (stan: string) =>
      JSON.stringify({
        mti: '0200',
        fields: { 2: PAN, 3: '400000', 4: '000000100000', 7: '1124120000', 11: stan, 14: '3012', 41: 'ATM00001', 102: PAN, 103: PAYEE },
      });
    const insert = legacy.prepare(
      `INSERT INTO reversals (state, original, created_at, updated_at) VALUES ('prepared', ?, 0, 0)`,
    );
    for (const stan of ['000101', '000102', '000103']) insert.run(row(stan));
    // Their lives as the previous version's statements wrote them: cells rewritten, old copies left in free space.
    legacy.exec(`UPDATE reversals SET state = 'canceled', updated_at = 1 WHERE id = 1`);
    legacy.exec(`UPDATE reversals SET state = 'owed', reason = 'timeout', dispensed_minor = NULL, next_attempt_at = 0, updated_at = 2 WHERE id IN (2, 3)`);
    legacy.exec(`UPDATE reversals SET state = 'sent', stan = '000200', attempts = attempts + 1, next_attempt_at = 99999, updated_at = 3 WHERE id = 3`);
    legacy.exec(`UPDATE reversals SET state = 'acknowledged', updated_at = 4 WHERE id = 3`);
    legacy.close();
  }

  it('still opens: finished rows lose their PAN at once, live ones are sealed when the key unlocks', async () => {
    db.close();
    for (const f of [file(), `${file()}-wal`, `${file()}-shm`]) rmSync(f, { force: true });
    writeLegacyFile(file());
    expect(fileBytes()).toContain(PAN);
    db = openLinkDb(file());
    queue = open();
    expect(queue.outstanding()).toMatchObject([{ id: 2, state: 'owed', reason: 'timeout' }]);
    expect(Object.keys(queue.get(1)!.original.fields)).not.toContain('2');
    await queue.unlock();
    db.close();
    expect(fileBytes()).not.toContain(PAN);
    expect(fileBytes()).not.toContain(PAYEE);

    db = openLinkDb(file());
    queue = open();
    const opened = await queue.openOriginal(queue.get(2)!);
    expect(opened.fields).toMatchObject({ 2: PAN, 11: '000102', 14: '3012', 102: PAN, 103: PAYEE });
    expect(reversalMessage({ ...queue.get(2)!, original: opened }, '000300', clock.now()).fields.get(2)).toBe(PAN);
  });
});

describe('the reversal message', () => {
  it('first attempt 0420: new DE7 and STAN, DE39 reason, DE90 from the original, DE95 with what was dispensed', async () => {
    const id = await queue.prepare(ORIGINAL);
    queue.owe(id, 'partialDispense', 30_000);
    const record = queue.get(id)!;
    const message = reversalMessage(
      { ...record, original: await queue.openOriginal(record) },
      '000200',
      Date.UTC(2026, 10, 24, 12, 0, 30),
    );
    expect(message.mti).toBe('0420');
    expect(Object.fromEntries(message.fields)).toMatchObject({
      2: '6212341234567890',
      4: '000000050000',
      7: '1124120030',
      11: '000200',
      37: '633012000123',
      39: '22',
      //    MTI  STAN    DE7        acquirer (n11)  forwarder (n11)
      90: '0200' + '000123' + '1124120000' + '00012345678' + '00000000000',
      //    dispensed (n12)  settlement (n12)  fees (x+n8 ×2)
      95: '000000030000' + '000000000000' + 'C00000000' + 'C00000000',
    });
  });

  it('repeats go as 0421; a timeout reversal is DE39 68 and has no DE95', async () => {
    const id = await queue.prepare(ORIGINAL);
    queue.owe(id, 'timeout');
    queue.recordAttempt(id, '000200', 0);
    const message = reversalMessage(queue.get(id)!, '000200', clock.now());
    expect(message.mti).toBe('0421');
    expect(message.fields.get(39)).toBe('68');
    expect(message.fields.has(95)).toBe(false);
  });
});

describe('STAN and RRN', () => {
  it('counts from 000001, wraps after 999999 to 000001, and continues after a reopen', () => {
    const seq = new Sequences(db, clock, 480);
    expect(seq.nextStan()).toBe('000001');
    db.prepare(`UPDATE counters SET value = 999998 WHERE name = 'stan'`).run();
    expect([seq.nextStan(), seq.nextStan(), seq.nextStan()]).toEqual(['999999', '000001', '000002']);
    db.close();
    db = openLinkDb(file());
    expect(new Sequences(db, clock, 480).nextStan()).toBe('000003');
  });

  it('RRN = year digit, day of year, local hour, STAN', () => {
    // 2026-11-24 12:00 GMT is 20:00 in Shanghai on day 328.
    expect(new Sequences(db, clock, 480).rrn('000123')).toBe('632820000123');
  });
});
