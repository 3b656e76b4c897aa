import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import {
  CashLedger as DeviceCounters,
  type CassetteConfig,
} from '../../../../drivers/cash-dispenser/dispenser-core-ledger.js';
import type { DeviceTransaction } from '../../../../drivers/cash-dispenser/dispenser-core-adapter.js';
import type { RestorableCounts } from '../../../../drivers/storage/contract.js';
import { CashLedger } from '../../../../main/cash/cash-ledger.js';
import type { JournalEntry } from '../../../../main/journal/record.js';
import { ledgerSync, restoreDeviceUnits } from '../../../../main/runtime/banking/ledger-sync.js';

const C100: CassetteConfig = { unitId: 'c100', currency: 'CNY', value: 10_000, initialCount: 50 };
const C50: CassetteConfig = { unitId: 'c50', currency: 'CNY', value: 5_000, initialCount: 50 };
const REJECT = { unitId: 'reject', capacity: 100, initialCount: 0 };

/** A dispenser as the runtime sees it: the driver's own counters behind RestorableCounts. */
function dispenser(cassettes: readonly CassetteConfig[] = [C100, C50]) {
  const counters = new DeviceCounters(cassettes, REJECT);
  const device: RestorableCounts & { readonly id: string } = {
    id: 'cashDispenser',
    cashUnits: () => counters.units(),
    countedRecord: () => counters.counted(),
    restoreCounts: (counts, counted) => counters.restore(new Map(Object.entries(counts)), counted),
  };
  return { device, counters };
}

const presented = (id: number, picked: number[]): DeviceTransaction => ({
  dispenseId: id,
  stage: 'presented',
  interrupted: false,
  requested: picked,
  picked,
  rejected: picked.map(() => 0),
  rejectReasons: [],
  notes: picked.flatMap((n, cassette) => Array.from({ length: n }, () => ({ cassette }))),
  presented: picked.reduce((a, b) => a + b, 0),
  retracted: 0,
  startedAt: id,
  updatedAt: id,
});

const log = pino({ level: 'silent' });
let dir: string;
let ledger: CashLedger;
let appended: JournalEntry[];
let journalBroken: boolean;
const journal = {
  append: (entry: JournalEntry) => {
    if (journalBroken) throw new Error('journal disk full');
    appended.push(entry);
    return undefined as never;
  },
};

beforeEach(() => {
  appended = [];
  journalBroken = false;
  dir = mkdtempSync(join(tmpdir(), 'kiosk-ledger-sync-'));
  ledger = new CashLedger(join(dir, 'cash.sqlite'), new ManualClock());
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('restoring device counters from the durable ledger', () => {
  it('hands back stored counters and record; a unit the ledger never saw keeps its configured count', () => {
    const first = dispenser();
    first.counters.reconcile(undefined);
    first.counters.reconcile(presented(3, [2, 1]));
    ledgerSync(ledger, [first.device], log)();

    const C20: CassetteConfig = { unitId: 'c20', currency: 'CNY', value: 2_000, initialCount: 40 };
    const next = dispenser([C100, C50, C20]);
    restoreDeviceUnits(ledger, [next.device], journal, log);
    const counts = Object.fromEntries(next.device.cashUnits().map((u) => [u.id, u.count]));
    expect(counts).toEqual({ c100: 48, c50: 49, c20: 40, reject: 0 });
    expect(next.device.countedRecord()).toEqual(first.device.countedRecord());
    // The record the device shows is the one already counted: nothing is counted twice.
    next.counters.reconcile(presented(3, [2, 1, 0]));
    expect(next.device.cashUnits().map((u) => u.count)).toEqual([48, 49, 40, 0]);
  });

  it('ends an exchange a crash left open, journaled with the counts it leaves, so that syncing works again', () => {
    const first = dispenser();
    first.counters.reconcile(undefined);
    first.counters.reconcile(presented(3, [2, 1]));
    ledgerSync(ledger, [first.device], log)();
    ledger.startExchange();
    const { device } = dispenser();
    restoreDeviceUnits(ledger, [device], journal, log);
    expect(ledger.exchangeActive()).toBe(false);
    expect(appended).toEqual([
      {
        kind: 'maintenance',
        payload: { event: 'cash.exchange.endedAtStartup', counts: { c100: 48, c50: 49, reject: 0 } },
      },
    ]);
    ledgerSync(ledger, [device], log)();
    expect(ledger.unit('c100').count).toBe(48);

    // Nothing is left open, so the next start journals nothing.
    restoreDeviceUnits(ledger, [dispenser().device], journal, log);
    expect(appended).toHaveLength(1);
  });

  it('ends the exchange even when the journal cannot record it', () => {
    ledger.startExchange();
    journalBroken = true;
    expect(() => restoreDeviceUnits(ledger, [dispenser().device], journal, log)).toThrow('journal disk full');
    expect(ledger.exchangeActive()).toBe(false);
  });

  it('keeps the configured counts when the driver refuses the restore, without throwing', () => {
    const first = dispenser();
    first.counters.reconcile(presented(1, [5, 0]));
    first.counters.reconcile(presented(2, [5, 0]));
    ledgerSync(ledger, [first.device], log)();
    const late = dispenser();
    late.counters.reconcile(undefined);
    expect(() => restoreDeviceUnits(ledger, [late.device], journal, log)).not.toThrow();
    expect(late.device.cashUnits().map((u) => u.count)).toEqual([50, 50, 0]);
  });
});
