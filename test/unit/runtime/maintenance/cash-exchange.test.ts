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

/** A cash device's Storage view in memory, with the XFS4IoT exchange rules. */
class FakeStorage implements CashUnitStorage {
  exchange = false;
  failSet = false;
  failStart = false;
  constructor(
    public units = [unit('unit1', 10_000, 12), unit('unit2', 5_000, 40), unit('reject', 0, 3, ['reject', 'retract'])],
  ) {}
  cashUnits = (): readonly CashUnit[] => this.units;
  startExchange: CashUnitStorage['startExchange'] = async () => {
    if (this.exchange) return fail<StorageErrorCode>('commandErrorCode', 'active', 'exchangeActive');
    if (this.failStart) return fail<StorageErrorCode>('commandErrorCode', 'cash-in active', 'transactionActive');
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
    devices: [storage],
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

    // The technician empties the reject bin: it is counted 0 like the cassettes are counted.
    const after = await exchange.commit('tech01', [2_000, 1_500, 0], signal);
    expect(after.map((u) => u.count)).toEqual([2_000, 1_500, 0]);
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toEqual({ unit1: 2_000, unit2: 1_500, reject: 0, recycle1: 7 });
    expect(ledger.unit('unit1').counts).toEqual(freshCounts(2_000));
    expect(ledger.unit('reject').counts).toEqual(freshCounts(0));
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.counts', 'cash.exchange.end']);
    expect(journal[1]).toEqual({
      kind: 'maintenance',
      payload: {
        event: 'cash.exchange.counts',
        operatorId: 'tech01',
        before: { unit1: 12, unit2: 40, reject: 3 },
        after: { unit1: 2_000, unit2: 1_500, reject: 0 },
        removed: { reject: 3 },
      },
    });
  });

  it('a reject bin counted with notes left in it keeps them; `removed` has only what was taken out', async () => {
    await exchange.start('tech01', signal);
    await exchange.commit('tech01', [12, 40, 1], signal);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, unit2: 40, reject: 1 });
    expect(ledger.unit('reject').counts).toEqual(freshCounts(1));
    expect(journal[1]?.payload).toMatchObject({ after: { reject: 1 }, removed: { reject: 2 } });
  });

  it('changes nothing when the counts cannot be journaled first', async () => {
    await exchange.start('tech01', signal);
    journalBroken = true;
    await expect(exchange.commit('tech01', [2_000, 1_500, 0], signal)).rejects.toThrow('journal disk full');
    expect(storage.units.map((u) => u.count)).toEqual([12, 40, 3]);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, unit2: 40 });
    // Canceling still closes both exchanges, though it cannot be journaled either.
    await expect(exchange.cancel('tech01')).rejects.toThrow('journal disk full');
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
  });

  it('refuses counts that do not fit the units and keeps the exchange open for another try', async () => {
    await exchange.start('tech01', signal);
    // Two counts leave the reject bin uncounted: refused like any missing count.
    for (const counts of [[2_000], [2_000, 1_500], [2_000, 3_001, 0], [2_000, 1.5, 0], [2_000, 1_500, -1]]) {
      await expect(exchange.commit('tech01', counts, signal)).rejects.toBeInstanceOf(ExchangeError);
    }
    expect(events()).toEqual(['cash.exchange.start']);
    expect(storage.exchange).toBe(true);
    await exchange.commit('tech01', [0, 3_000, 3], signal);
    expect(ledgerCounts()).toMatchObject({ unit1: 0, unit2: 3_000, reject: 3 });
  });

  it('ends the exchange unchanged when the device refuses the counts', async () => {
    await exchange.start('tech01', signal);
    storage.failSet = true;
    await expect(exchange.commit('tech01', [2_000, 1_500, 0], signal)).rejects.toThrow(/device said no/);
    expect(storage.exchange).toBe(false);
    expect(ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, unit2: 40, reject: 3 });
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

describe('replenishment exchange over the dispenser and the recycler', () => {
  /** The recycler: two recycle units and its cashbox, beside the dispenser's cassettes. */
  let recycler: FakeStorage;
  let both: CashExchange;

  beforeEach(() => {
    recycler = new FakeStorage([
      unit('recycle1', 5_000, 9, ['recycle']),
      unit('recycle2', 10_000, 11, ['recycle']),
      unit('cashbox', 0, 140, ['cashIn']),
    ]);
    const sync = ledgerSync(ledger, [storage, recycler], pino({ level: 'silent' }));
    sync();
    both = new CashExchange({
      devices: [storage, undefined, recycler],
      ledger,
      syncLedger: sync,
      journal: { append: (entry) => void journal.push(entry) as never },
    });
  });

  it('lists every unit, each counted: cassettes and recycle units as cassettes, the reject bin, the cashbox', () => {
    expect(both.units().map((u) => [u.unitId, u.role])).toEqual([
      ['unit1', 'cassette'],
      ['unit2', 'cassette'],
      ['reject', 'bin'],
      ['recycle1', 'cassette'],
      ['recycle2', 'cassette'],
      ['cashbox', 'cashbox'],
    ]);
  });

  it('sets the recycle units, empties the cashbox, journals what was removed first, and the ledger follows', async () => {
    await both.start('tech01', signal);
    expect(storage.exchange && recycler.exchange && ledger.exchangeActive()).toBe(true);
    // One count per unit, the reject bin's included: five are not enough.
    await expect(both.commit('tech01', [20, 40, 30, 4, 0], signal)).rejects.toBeInstanceOf(ExchangeError);

    const after = await both.commit('tech01', [20, 40, 0, 30, 4, 0], signal);
    expect(Object.fromEntries(after.map((u) => [u.unitId, u.count]))).toEqual({
      unit1: 20,
      unit2: 40,
      reject: 0,
      recycle1: 30,
      recycle2: 4,
      cashbox: 0,
    });
    expect(storage.exchange || recycler.exchange || ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toEqual({ unit1: 20, unit2: 40, reject: 0, recycle1: 30, recycle2: 4, cashbox: 0 });
    expect(ledger.unit('cashbox').counts).toEqual(freshCounts(0));
    expect(ledger.unit('reject').counts).toEqual(freshCounts(0));
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.counts', 'cash.exchange.end']);
    expect(journal[1]?.payload).toEqual({
      event: 'cash.exchange.counts',
      operatorId: 'tech01',
      before: { unit1: 12, unit2: 40, reject: 3, recycle1: 9, recycle2: 11, cashbox: 140 },
      after: { unit1: 20, unit2: 40, reject: 0, recycle1: 30, recycle2: 4, cashbox: 0 },
      removed: { reject: 3, recycle2: 7, cashbox: 140 },
    });
  });

  it('a recycler that refuses to start leaves nothing open', async () => {
    recycler.failStart = true;
    await expect(both.start('tech01', signal)).rejects.toBeInstanceOf(ExchangeError);
    expect(storage.exchange || recycler.exchange || ledger.exchangeActive()).toBe(false);
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.failed']);
    expect(journal[1]?.payload).toMatchObject({ step: 'start', errorCode: 'transactionActive' });
  });

  it('a recycler that refuses its counts: the exchange ends, the ledger holds what each device holds', async () => {
    await both.start('tech01', signal);
    recycler.failSet = true;
    await expect(both.commit('tech01', [20, 40, 0, 30, 4, 0], signal)).rejects.toThrow(/device said no/);
    expect(storage.exchange || recycler.exchange || ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toEqual({ unit1: 20, unit2: 40, reject: 0, recycle1: 9, recycle2: 11, cashbox: 140 });
    expect(events()).toEqual(['cash.exchange.start', 'cash.exchange.counts', 'cash.exchange.failed']);
  });

  it('leaves out a recycler that is offline, so the cassettes can still be refilled', async () => {
    const offline = Object.assign(recycler, { id: 'cashAcceptor', getStatus: () => ({ device: 'offline' as const }) });
    expect(offline.getStatus().device).toBe('offline');
    const units = await both.start('tech01', signal);
    expect(units.map((u) => u.unitId)).toEqual(['unit1', 'unit2', 'reject']);
    expect(recycler.exchange).toBe(false);
    expect(journal[0]?.payload).toEqual({ event: 'cash.exchange.start', operatorId: 'tech01', leftOut: ['cashAcceptor'] });
    const after = await both.commit('tech01', [20, 40, 0], signal);
    // Afterwards every unit is listed again, the recycler's as they were.
    expect(after.map((u) => u.count)).toEqual([20, 40, 0, 9, 11, 140]);
    expect(ledgerCounts()).toMatchObject({ unit1: 20, unit2: 40, recycle1: 9, cashbox: 140 });
  });

  it('cancels on both devices with every count as it was', async () => {
    await both.start('tech01', signal);
    await both.cancel('tech01');
    expect(storage.exchange || recycler.exchange || ledger.exchangeActive()).toBe(false);
    expect(ledgerCounts()).toMatchObject({ unit1: 12, recycle1: 9, cashbox: 140 });
  });
});
