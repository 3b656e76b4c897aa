import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { fail, ok } from '../../../../drivers/common/completion.js';
import { freshCounts, replenishmentStatus } from '../../../../drivers/storage/accounting.js';
import type { CashUnit, CashUnitStorage, StorageErrorCode } from '../../../../drivers/storage/contract.js';
import { CashLedger } from '../../../../main/cash/cash-ledger.js';
import type { JournalEntry } from '../../../../main/journal/record.js';
import { ledgerSync } from '../../../../main/runtime/banking/ledger-sync.js';
import { CashExchange, ExchangeError } from '../../../../main/runtime/maintenance/cash-exchange.js';
import { pino } from 'pino';

const unit = (
  id: string,
  value: number,
  count: number,
  types: CashUnit['configuration']['types'] = ['cashOut'],
): CashUnit => {
  const configuration = {
    types,
    currency: value ? 'CNY' : '',
    value,
    capacity: 0,
    lowThreshold: 10,
    highThreshold: 0,
    appLockIn: false,
    appLockOut: false,
    maxRetracts: 0,
  };
  return {
    id,
    position: id,
    status: 'ok',
    configuration,
    counts: freshCounts(count),
    count,
    replenishmentStatus: replenishmentStatus(count, configuration),
  };
};

/** A dispenser's Storage view in memory, with the XFS4IoT exchange rules. */
class FakeStorage implements CashUnitStorage {
  exchange = false;
  failSet = false;
  units = [unit('unit1', 10_000, 12), unit('unit2', 5_000, 40), unit('reject', 0, 3, ['reject', 'retract'])];
  cashUnits = (): readonly CashUnit[] => this.units;
  startExchange: CashUnitStorage['startExchange'] = async () => {
    if (this.exchange) return fail<StorageErrorCode>('commandErrorCode', 'active', 'exchangeActive');
    this.exchange = true;
    return ok(this.units);
  };
  setCashUnits: CashUnitStorage['setCashUnits'] = async (request) => {
    if (!this.exchange) return fail<StorageErrorCode>('commandErrorCode', 'none', 'noExchangeActive');
    if (this.failSet) return fail<StorageErrorCode>('hardwareError', 'device said no');
    this.units = this.units.map((u) => {
      const initial = request[u.id]?.initial;
      return initial === undefined ? u : unit(u.id, u.configuration.value, initial, u.configuration.types);
    });
    return ok(this.units);
  };
  endExchange: CashUnitStorage['endExchange'] = async () => {
    if (!this.exchange) return fail<StorageErrorCode>('commandErrorCode', 'none', 'noExchangeActive');
    this.exchange = false;
    return ok(this.units);
  };
}

let dir: string;
let ledger: CashLedger;
let storage: FakeStorage;
let journal: JournalEntry[];
let journalBroken: boolean;
let exchange: CashExchange;
const signal = new AbortController().signal;
const events = () => journal.map((e) => (e.payload as { event: string }).event);
const ledgerCounts = () => Object.fromEntries(ledger.units().map((u) => [u.id, u.count]));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exchange-unit-'));
  ledger = new CashLedger(join(dir, 'cash.sqlite'), new ManualClock(0));
  storage = new FakeStorage();
  journal = [];
  journalBroken = false;
  const sync = ledgerSync(ledger, [storage], pino({ level: 'silent' }));
  sync();
  // A unit of another device (the recycler) that the exchange must leave alone.
  ledger.recordDeviceUnits([
    {
      id: 'recycle1',
      types: ['recycle'],
      currency: 'CNY',
      value: 10_000,
      limits: { capacity: 0, lowThreshold: 0, highThreshold: 0 },
      counts: freshCounts(7),
    },
  ]);
  exchange = new CashExchange({
    dispenser: storage,
    ledger,
    syncLedger: sync,
    journal: {
      append: (entry) => {
        if (journalBroken) throw new Error('journal disk full');
        journal.push(entry);
        return undefined as never;
      },
    },
  });
});
afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('replenishment exchange', () => {
  it('journals the counts, sets them on the device, copies them to the ledger and ends both exchanges', async () => {
    const started = await exchange.start('tech01', signal);
    expect(started.map((u) => [u.unitId, u.role])).toEqual([
      ['unit1', 'cassette'],
      ['unit2', 'cassette'],
      ['reject', 'bin'],
    ]);
    expect(storage.exchange).toBe(true);
    expect(ledger.exchangeActive()).toBe(true);
    // The ledger refuses a customer transaction meanwhile.
    expect(() => ledger.setTransaction('tx1')).toThrow(/exchange/);

    const after = await exchange.commit('tech01', [2_000, 1_500], signal);
    expect(after.map((u) => u.count)).toEqual([2_000, 1_500, 3]);
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toEqual({ unit1: 2_000, unit2: 1_500, reject: 3, recycle1: 7 });
    expect(ledger.unit('unit1').counts).toEqual(freshCounts(2_000));
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.counts', 'cash.exchange.end']);
    expect(journal[1]).toEqual({
      kind: 'maintenance',
      payload: {
        event: 'cash.exchange.counts',
        operatorId: 'tech01',
        before: { unit1: 12, unit2: 40 },
        after: { unit1: 2_000, unit2: 1_500 },
      },
    });
  });

  it('changes nothing when the counts cannot be journaled first', async () => {
    await exchange.start('tech01', signal);
    journalBroken = true;
    await expect(exchange.commit('tech01', [2_000, 1_500], signal)).rejects.toThrow('journal disk full');
    expect(storage.units.map((u) => u.count)).toEqual([12, 40, 3]);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, unit2: 40 });
    // Canceling still closes both exchanges, though it cannot be journaled either.
    await expect(exchange.cancel('tech01')).rejects.toThrow('journal disk full');
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
  });

  it('refuses counts that do not fit the cassettes and keeps the exchange open for another try', async () => {
    await exchange.start('tech01', signal);
    for (const counts of [[2_000], [2_000, 3_001], [2_000, 1.5], [2_000, -1]]) {
      await expect(exchange.commit('tech01', counts, signal)).rejects.toBeInstanceOf(ExchangeError);
    }
    expect(events()).toEqual(['cash.exchange.start']);
    expect(storage.exchange).toBe(true);
    await exchange.commit('tech01', [0, 3_000], signal);
    expect(ledgerCounts()).toMatchObject({ unit1: 0, unit2: 3_000 });
  });

  it('ends the exchange unchanged when the device refuses the counts', async () => {
    await exchange.start('tech01', signal);
    storage.failSet = true;
    await expect(exchange.commit('tech01', [2_000, 1_500], signal)).rejects.toThrow(/device said no/);
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, unit2: 40 });
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.counts', 'cash.exchange.failed']);
  });

  it('is refused while a customer transaction is marked on the ledger', async () => {
    ledger.setTransaction('tx1');
    await expect(exchange.start('tech01', signal)).rejects.toThrow(/tx1/);
    expect(storage.exchange).toBe(false);
  });

  it('cancels with every count as it was, and a cancel with no exchange does nothing', async () => {
    await exchange.cancel('tech01');
    expect(events()).toEqual([]);
    await exchange.start('tech01', signal);
    await exchange.cancel('tech01');
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toEqual({ unit1: 12, unit2: 40, reject: 3, recycle1: 7 });
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.cancel']);
  });
});
