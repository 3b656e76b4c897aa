import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { StorageEvents } from '../../../../drivers/storage/contract.js';
import { MemoryStorage } from '../../../../drivers/storage/memory.js';
import { bin, cassette, cny, recorder, signal } from '../cash-dispenser/fixtures.js';

async function storage(clock = new ManualClock()): Promise<MemoryStorage> {
  const s = new MemoryStorage({
    clock,
    cash: [cassette('unit1', 10000, 30, { lowThreshold: 10 }), bin('reject', ['reject'], 50)],
    card: [{ id: 'cardBin', position: 'retain', type: 'retain', capacity: 3, threshold: 2 }],
  });
  await s.open(signal);
  return s;
}

describe('MemoryStorage', () => {
  it('is offline until opened', async () => {
    const s = new MemoryStorage({ clock: new ManualClock() });
    expect(s.getStatus().device).toBe('offline');
    expect((await s.getStorage(undefined, signal)).completionCode).toBe('deviceNotReady');
  });

  it('reports units with derived count and replenishment status', async () => {
    const result = await (await storage()).getStorage(undefined, signal);
    if (result.completionCode !== 'success') throw new Error(result.errorDescription);
    const unit1 = result.payload.cash.find((u) => u.id === 'unit1');
    expect(unit1).toMatchObject({ count: 30, replenishmentStatus: 'ok', counts: { initial: 30 } });
    expect(result.payload.card[0]).toMatchObject({ id: 'cardBin', count: 0, replenishmentStatus: 'empty' });
  });

  it('runs an exchange: start → set → end, with exchange status and storageChanged', async () => {
    const clock = new ManualClock();
    const s = await storage(clock);
    const events = recorder<StorageEvents>(s, ['storageChanged', 'statusChanged', 'storageThreshold']);
    expect((await s.startExchange(undefined, signal)).completionCode).toBe('success');
    expect(s.getStatus().exchange).toBe('active');
    s.loadNotes('unit1', cny(10000, 5, 'NEW'));
    const set = await s.setStorage({ cash: { unit1: { initial: 5, configuration: { lowThreshold: 8 } } } }, signal);
    expect(set.completionCode).toBe('success');
    clock.advance(60_000);
    expect((await s.endExchange(undefined, signal)).completionCode).toBe('success');
    expect(s.getStatus().exchange).toBe('inactive');
    expect(s.cashUnit('unit1')).toMatchObject({ count: 5, replenishmentStatus: 'low' });
    expect(s.notesIn('unit1')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'storageChanged')).toHaveLength(2);
    expect(events).toContainEqual({ type: 'storageThreshold', payload: { unitId: 'unit1', replenishmentStatus: 'low' } });
    expect(s.exchangeLog()).toEqual([{ startedAt: clock.now() - 60_000, endedAt: clock.now() }]);
  });

  it('refuses exchange commands in the wrong state', async () => {
    const s = await storage();
    expect(await s.setStorage({}, signal)).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'noExchangeActive' });
    expect(await s.endExchange(undefined, signal)).toMatchObject({ errorCode: 'noExchangeActive' });
    await s.setTransactionState({ state: 'active', transactionId: 'T1' }, signal);
    expect(await s.startExchange(undefined, signal)).toMatchObject({ errorCode: 'transactionActive' });
    await s.setTransactionState({ state: 'inactive' }, signal);
    await s.startExchange(undefined, signal);
    expect(await s.startExchange(undefined, signal)).toMatchObject({ errorCode: 'exchangeActive' });
  });

  it('changes nothing when one unit in a setStorage is unknown or a count is invalid', async () => {
    const s = await storage();
    await s.startExchange(undefined, signal);
    const unknown = await s.setStorage({ cash: { unit1: { initial: 1 }, nope: { initial: 2 } } }, signal);
    expect(unknown).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'invalidUnit' });
    expect((await s.setStorage({ cash: { unit1: { initial: -1 } } }, signal)).completionCode).toBe('invalidData');
    expect(s.cashUnit('unit1')?.count).toBe(30);
  });

  it('applies count changes as one countsChanged and raises threshold events on crossing', async () => {
    const s = await storage();
    const events = recorder<StorageEvents>(s, ['countsChanged', 'storageThreshold']);
    s.applyCounts([
      { unitId: 'unit1', delta: { out: { stacked: 20 } } },
      { unitId: 'reject', delta: { in: { rejected: 1 } } },
    ]);
    expect(events.map((e) => e.type)).toEqual(['countsChanged', 'storageThreshold', 'storageThreshold']);
    expect(events[1]?.payload).toEqual({ unitId: 'unit1', replenishmentStatus: 'low' });
    expect(events[2]?.payload).toEqual({ unitId: 'reject', replenishmentStatus: 'ok' });
    expect(s.cashUnit('unit1')?.count).toBe(10);
  });

  it('counts retained cards up to the threshold and capacity', async () => {
    const s = await storage();
    const events = recorder<StorageEvents>(s, ['storageThreshold']);
    expect([s.retainCard('cardBin'), s.retainCard('cardBin'), s.retainCard('cardBin'), s.retainCard('cardBin')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(events.map((e) => e.payload)).toEqual([
      { unitId: 'cardBin', replenishmentStatus: 'ok' },
      { unitId: 'cardBin', replenishmentStatus: 'high' },
      { unitId: 'cardBin', replenishmentStatus: 'full' },
    ]);
    const snapshot = await s.getStorage(undefined, signal);
    expect(snapshot.completionCode === 'success' && snapshot.payload.card[0]).toMatchObject({ count: 3, retainCount: 3 });
  });
});
