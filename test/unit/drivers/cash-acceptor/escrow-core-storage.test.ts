import { afterEach, describe, expect, it } from 'vitest';
import { CcnetAcceptor } from '../../../../drivers/cash-acceptor/ccnet/ccnet-acceptor.js';
import { EsspRecycler } from '../../../../drivers/cash-acceptor/essp-recycler/essp-recycler.js';
import { systemClock } from '../../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../../drivers/common/memory-transport.js';
import { addCounts, freshCounts } from '../../../../drivers/storage/accounting.js';
import type { CashUnit } from '../../../../drivers/storage/contract.js';
import { esspSecurity } from '../../../../main/runtime/essp-security.js';
import { CcnetAcceptorSimulator } from '../../../../simulators/acceptor-ccnet/ccnet-acceptor-sim.js';
import { EsspRecyclerSimulator } from '../../../../simulators/recycler-essp/essp-recycler-sim.js';

/*
 * The acceptor drivers' units (the recycler's recycle units, every acceptor's
 * cashbox) as the kiosk's durable ledger and the custodian see them: counters
 * handed back before open, and the XFS4IoT Storage exchange.
 */

const OPTIONS = { pollIntervalMs: 20, insertIdleMs: 150, replyTimeoutMs: 150, retries: 2, missedPollsOffline: 2 };
const signal = new AbortController().signal;
const counts = (units: readonly CashUnit[]) => Object.fromEntries(units.map((u) => [u.id, u.count]));
/** The simulator's recycle stores hold 10 notes each (DEFAULT_ESSP_CONFIG). */
const DEVICE_LEVEL = 10;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function recycler(): Promise<{ driver: EsspRecycler; sim: EsspRecyclerSimulator }> {
  const pipe = createMemoryPipe('essp-storage');
  const sim = new EsspRecyclerSimulator();
  await sim.attach(pipe.device);
  const driver = new EsspRecycler({ id: 'cashAcceptor', clock: systemClock }, pipe.host, esspSecurity, OPTIONS);
  cleanups.push(async () => {
    await driver.close();
    await sim.detach();
  });
  return { driver, sim };
}

describe('acceptor counters restored from the ledger before open', () => {
  it('the cashbox starts from the ledger, not the configuration; a recycle unit follows the device level', async () => {
    const { driver } = await recycler();
    const cashbox = addCounts(freshCounts(0), { in: { deposited: 7, rejected: 0 } });
    // The ledger's recycle1 counters agree with the device's level: their buckets are kept.
    const recycle1 = addCounts(freshCounts(4), { in: { deposited: DEVICE_LEVEL - 4 } });
    // The ledger's recycle2 count disagrees: the device, which counts its stores, wins at initialisation.
    driver.restoreCounts({ cashbox, recycle1, recycle2: freshCounts(3) }, {});
    expect(counts(driver.cashUnits())).toEqual({ recycle1: DEVICE_LEVEL, recycle2: 3, cashbox: 7 });

    expect((await driver.open(signal)).completionCode).toBe('success');
    expect(counts(driver.cashUnits())).toEqual({ recycle1: DEVICE_LEVEL, recycle2: DEVICE_LEVEL, cashbox: 7 });
    expect(driver.cashUnits().find((u) => u.id === 'cashbox')?.counts).toEqual(cashbox);
    expect(driver.cashUnits().find((u) => u.id === 'recycle1')?.counts).toEqual(recycle1);
    expect(driver.countedRecord()).toEqual({});
    expect(() => driver.restoreCounts({ cashbox: freshCounts(0) }, {})).toThrow(/before/);
    expect(driver.cashUnits().find((u) => u.id === 'cashbox')?.count).toBe(7);
  });

  it('a CCNET validator keeps its cashbox count the same way', async () => {
    const pipe = createMemoryPipe('ccnet-storage');
    const sim = new CcnetAcceptorSimulator();
    await sim.attach(pipe.device);
    const driver = new CcnetAcceptor({ id: 'cashAcceptor', clock: systemClock }, pipe.host, {
      ...OPTIONS,
      cashbox: { initialCount: 0 },
    });
    cleanups.push(async () => {
      await driver.close();
      await sim.detach();
    });
    driver.restoreCounts({ cashbox: freshCounts(42), unknownUnit: freshCounts(1) }, undefined);
    expect((await driver.open(signal)).completionCode).toBe('success');
    expect(counts(driver.cashUnits())).toEqual({ cashbox: 42 });
  });
});

describe('the custodian exchange on the recycler', () => {
  it('refuses cash commands while open, sets recycle units and empties the cashbox, then serves again', async () => {
    const { driver } = await recycler();
    driver.restoreCounts({ cashbox: freshCounts(25) }, {});
    await driver.open(signal);

    const started = await driver.startExchange(undefined, signal);
    expect(started.completionCode).toBe('success');
    expect((await driver.startExchange(undefined, signal)).completionCode).toBe('commandErrorCode');
    expect(await driver.cashInStart({}, signal)).toMatchObject({ errorCode: 'exchangeActive' });
    expect(
      await driver.dispense({ denomination: { amount: { currency: 'CNY', amount: 10_000 }, mixNumber: 1 } }, signal),
    ).toMatchObject({ errorCode: 'exchangeActive' });

    // An unknown unit or a bad count fails the whole request and changes nothing.
    expect(await driver.setCashUnits({ cashbox: { initial: 0 }, cassette9: { initial: 1 } }, signal)).toMatchObject({
      errorCode: 'invalidUnit',
    });
    expect(
      (await driver.setCashUnits({ cashbox: { initial: 0 }, recycle1: { initial: -1 } }, signal)).completionCode,
    ).toBe('invalidData');
    expect(counts(driver.cashUnits())).toMatchObject({ cashbox: 25 });

    const set = await driver.setCashUnits({ cashbox: { initial: 0 }, recycle1: { initial: 8 } }, signal);
    expect(set.completionCode).toBe('success');
    expect(counts(driver.cashUnits())).toEqual({ recycle1: 8, recycle2: DEVICE_LEVEL, cashbox: 0 });
    expect(driver.cashUnits().find((u) => u.id === 'cashbox')?.counts).toEqual(freshCounts(0));

    expect((await driver.endExchange(undefined, signal)).completionCode).toBe('success');
    expect(await driver.endExchange(undefined, signal)).toMatchObject({ errorCode: 'noExchangeActive' });
    expect(await driver.setCashUnits({ cashbox: { initial: 1 } }, signal)).toMatchObject({
      errorCode: 'noExchangeActive',
    });
    expect((await driver.cashInStart({}, signal)).completionCode).toBe('success');
    // A cash-in in progress keeps the custodian out.
    expect(await driver.startExchange(undefined, signal)).toMatchObject({ errorCode: 'transactionActive' });
  });
});
