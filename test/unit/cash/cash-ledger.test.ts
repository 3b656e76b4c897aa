import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { CashLedger, LedgerError, type UnitConfiguration } from '../../../main/cash/cash-ledger.js';

const cassette = (id: string, value: number, initial: number): UnitConfiguration => ({
  id,
  types: ['cashOut'],
  currency: 'CNY',
  value,
  limits: { capacity: 2500, lowThreshold: 100, highThreshold: 0 },
  initial,
});

let path: string;
let ledger: CashLedger;

beforeEach(async () => {
  path = join(await mkdtemp(join(tmpdir(), 'kiosk-ledger-')), 'cash.sqlite');
  ledger = new CashLedger(path, new ManualClock());
  ledger.startExchange();
  ledger.setUnits([
    cassette('unit1', 10_000, 2000),
    cassette('unit2', 5_000, 150),
    { ...cassette('reject', 0, 0), types: ['reject', 'retract'] },
  ]);
  ledger.endExchange();
});

describe('cash ledger', () => {
  it('derives counts and replenishment status from initial, in and out buckets', () => {
    ledger.apply('tx1', { unit1: { out: { presented: 5 } }, unit2: { out: { presented: 60 } } });
    expect(ledger.unit('unit1')).toMatchObject({ count: 1995, replenishment: 'ok' });
    expect(ledger.unit('unit2')).toMatchObject({ count: 90, replenishment: 'low' });
  });

  it('keeps retracted notes apart: out of the cassette as presented, into the retract unit as retracted', () => {
    ledger.apply('tx2', { unit1: { out: { presented: 3 } }, reject: { in: { retracted: 3, retractOperations: 1 } } });
    const reject = ledger.unit('reject');
    expect(reject.counts.in).toMatchObject({ retracted: 3, retractOperations: 1 });
    expect(reject.count).toBe(3);
  });

  it('survives a reopen with exactly the committed counts', () => {
    ledger.apply('tx3', { unit1: { out: { presented: 7 } } });
    ledger.close();
    const reopened = new CashLedger(path, new ManualClock());
    expect(reopened.unit('unit1').count).toBe(1993);
    reopened.close();
  });

  it('applies a transaction all or nothing', () => {
    expect(() => ledger.apply('tx4', { unit1: { out: { presented: 1 } }, nope: { out: { presented: 1 } } })).toThrow(
      LedgerError,
    );
    expect(ledger.unit('unit1').count).toBe(2000);
    expect(() => ledger.apply('tx5', { unit2: { out: { presented: -1 } } })).toThrow(/countsInvalid|negative|below/);
  });

  it('records every banknote serial with its unit and transaction, and finds it again', () => {
    ledger.apply('tx6', { unit1: { out: { presented: 2 } } }, [
      { currency: 'CNY', value: 10_000, serialNumber: 'AB12345678', unitId: 'unit1', movement: 'dispensed' },
      { currency: 'CNY', value: 10_000, serialNumber: 'AB12345679', unitId: 'unit1', movement: 'dispensed' },
    ]);
    expect(ledger.findNote('AB12345679')).toEqual([
      {
        serialNumber: 'AB12345679',
        currency: 'CNY',
        value: 10_000,
        movement: 'dispensed',
        unitId: 'unit1',
        txId: 'tx6',
        at: expect.any(Number),
      },
    ]);
    expect(ledger.notesOf('tx6')).toHaveLength(2);
    expect(ledger.findNote('ZZ00000000')).toEqual([]);
  });

  it('refuses a replenishment while a customer transaction is active, and cash movements during one', () => {
    ledger.setTransaction('tx7');
    expect(() => ledger.startExchange()).toThrow(expect.objectContaining({ code: 'transactionActive' }));
    ledger.setTransaction(undefined);
    ledger.startExchange();
    expect(() => ledger.apply('tx8', { unit1: { out: { presented: 1 } } })).toThrow(
      expect.objectContaining({ code: 'exchangeActive' }),
    );
    expect(() => ledger.setTransaction('tx9')).toThrow(expect.objectContaining({ code: 'exchangeActive' }));
    ledger.setUnits([cassette('unit1', 10_000, 2500)]);
    ledger.endExchange();
    expect(ledger.units().map((u) => [u.id, u.count, u.replenishment])).toEqual([['unit1', 2500, 'full']]);
  });

  it('refuses unit changes outside an exchange', () => {
    expect(() => ledger.setUnits([])).toThrow(expect.objectContaining({ code: 'noExchangeActive' }));
    expect(() => ledger.endExchange()).toThrow(expect.objectContaining({ code: 'noExchangeActive' }));
  });

  it('stores the counters a device reports about its units, and refuses to during a replenishment', () => {
    const counts = {
      initial: 50,
      in: { retractOperations: 0, deposited: 0, retracted: 0, rejected: 0, distributed: 0, transport: 0 },
      out: { presented: 7, rejected: 1, distributed: 0, unknown: 0, stacked: 0, diverted: 0, transport: 0 },
    };
    const unit = {
      id: 'unit1',
      types: ['cashOut' as const],
      currency: 'CNY',
      value: 10_000,
      limits: { capacity: 2500, lowThreshold: 100, highThreshold: 0 },
      counts,
    };
    ledger.recordDeviceUnits([unit]);
    expect(ledger.unit('unit1')).toMatchObject({ count: 42, counts });
    ledger.startExchange();
    expect(() => ledger.recordDeviceUnits([unit])).toThrow(expect.objectContaining({ code: 'exchangeActive' }));
  });

  it('keeps with the counters the device record they include, across a reopen, until an exchange replaces them', () => {
    const counted = { recordId: 12, contribution: { unit1: { out: { presented: 3 } } } };
    ledger.recordDeviceUnits([], { dispenser: counted, acceptor: undefined });
    ledger.close();
    ledger = new CashLedger(path, new ManualClock());
    expect(ledger.countedRecord('dispenser')).toEqual(counted);
    expect(ledger.countedRecord('acceptor')).toBeUndefined();
    ledger.startExchange();
    ledger.setUnits([cassette('unit1', 10_000, 300)]);
    expect(ledger.countedRecord('dispenser'), 'the new counts include no device record').toBeUndefined();
  });

  it('keeps a card unit count across a reopen', () => {
    expect(ledger.cardCount('cardReader')).toBeUndefined();
    ledger.setCardCount('cardReader', 3);
    ledger.setCardCount('cardReader', 0);
    ledger.close();
    ledger = new CashLedger(path, new ManualClock());
    expect(ledger.cardCount('cardReader')).toBe(0);
    expect(() => ledger.setCardCount('cardReader', -1)).toThrow(expect.objectContaining({ code: 'countsInvalid' }));
  });
});
