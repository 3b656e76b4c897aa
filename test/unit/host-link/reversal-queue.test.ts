/** The reversal queue's states and persistence, the 0420/0421 it builds, and the STAN counter. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { ReversalQueue, openLinkDb } from '../../../main/host-link/index.js';
import type { IsoMessage } from '../../../main/host-link/iso8583/index.js';
import type { Db } from '../../../main/host-link/link/db.js';
import { Sequences } from '../../../main/host-link/link/sequence.js';
import { reversalMessage } from '../../../main/host-link/reversals/message.js';

let dir: string;
let db: Db;
let clock: ManualClock;
let queue: ReversalQueue;
const file = () => join(dir, 'link.sqlite');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reversal-queue-'));
  db = openLinkDb(file());
  clock = new ManualClock(Date.UTC(2026, 10, 24, 12));
  queue = new ReversalQueue(db, clock);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

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

describe('states', () => {
  it('prepared → canceled; a canceled reversal cannot become owed', () => {
    const id = queue.prepare(ORIGINAL);
    expect(queue.get(id)!.state).toBe('prepared');
    expect(queue.cancel(id)).toBe(true);
    expect(queue.owe(id, 'cashRetracted')).toBe(false);
    expect(queue.outstanding()).toEqual([]);
  });

  it('prepared → owed → sent → acknowledged, announcing the owed one', () => {
    const owed: number[] = [];
    queue.onOwed((id) => owed.push(id));
    const id = queue.prepare(ORIGINAL);
    expect(queue.owe(id, 'partialDispense', 30_000)).toBe(true);
    expect(owed).toEqual([id]);
    expect(queue.cancel(id)).toBe(false);
    queue.recordAttempt(id, '000200', clock.now() + 10_000);
    expect(queue.get(id)).toMatchObject({ state: 'sent', stan: '000200', attempts: 1, dispensedMinor: 30_000 });
    expect(queue.acknowledge(id)).toBe(true);
    expect(queue.outstanding()).toEqual([]);
  });

  it('keeps neither the PIN block nor track 2', () => {
    const id = queue.prepare(ORIGINAL);
    expect(Object.keys(queue.get(id)!.original.fields)).toEqual(['2', '3', '4', '7', '11', '32', '37', '41']);
  });

  it('survives a reopen; prepared ones become owed only on recoverInterrupted, oldest first', () => {
    const a = queue.prepare(ORIGINAL);
    const b = queue.prepare(ORIGINAL);
    queue.owe(b, 'timeout');
    db.close();
    db = openLinkDb(file());
    queue = new ReversalQueue(db, clock);
    expect(queue.outstanding().map((r) => r.id)).toEqual([b]);
    expect(queue.recoverInterrupted()).toBe(1);
    expect(queue.outstanding().map((r) => [r.id, r.reason])).toEqual([
      [a, 'interrupted'],
      [b, 'timeout'],
    ]);
  });
});

describe('the reversal message', () => {
  it('first attempt 0420: new DE7 and STAN, DE39 reason, DE90 from the original, DE95 with what was dispensed', () => {
    const id = queue.prepare(ORIGINAL);
    queue.owe(id, 'partialDispense', 30_000);
    const message = reversalMessage(queue.get(id)!, '000200', Date.UTC(2026, 10, 24, 12, 0, 30));
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

  it('repeats go as 0421; a timeout reversal is DE39 68 and has no DE95', () => {
    const id = queue.prepare(ORIGINAL);
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
