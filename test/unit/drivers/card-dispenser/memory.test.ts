import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryCardDispenser, type MemoryCardDispenserOptions } from '../../../../drivers/card-dispenser/memory.js';

const signal = new AbortController().signal;

async function openDispenser(options: Partial<MemoryCardDispenserOptions> = {}) {
  const dispenser = new MemoryCardDispenser({ id: 'cardDispenser', clock: new ManualClock(), ...options });
  await dispenser.open(signal);
  return dispenser;
}

describe('MemoryCardDispenser', () => {
  let dispenser: MemoryCardDispenser;
  beforeEach(async () => {
    dispenser = await openDispenser();
  });

  it('issues to the read/write position, then presents at the exit until taken', async () => {
    const events: string[] = [];
    dispenser.on('mediaPresented', () => events.push('presented'));
    dispenser.on('mediaTaken', () => events.push('taken'));
    expect((await dispenser.dispense({ to: 'readWrite' }, signal)).completionCode).toBe('success');
    expect(dispenser.getStatus().media).toBe('readWrite');
    expect(dispenser.takeCard()).toBe(false);
    expect((await dispenser.move({ to: 'exit' }, signal)).completionCode).toBe('success');
    expect(dispenser.getStatus().media).toBe('exit');
    expect(dispenser.takeCard()).toBe(true);
    expect(events).toEqual(['presented', 'taken']);
    expect(dispenser.getStatus().media).toBe('notPresent');
  });

  it('refuses a second card while one is out', async () => {
    await dispenser.dispense({ to: 'exit' }, signal);
    expect(await dispenser.dispense({ to: 'exit' }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'occupied',
    });
  });

  it('reports the pre-empty and empty sensors, then hopperEmpty', async () => {
    dispenser = await openDispenser({ hopperCount: 2, hopperLowAt: 1 });
    const thresholds: string[] = [];
    dispenser.on('hopperThreshold', (e) => thresholds.push(e.hopper));
    expect(dispenser.getStatus().hopper).toBe('ok');
    await dispenser.dispense({ to: 'exit' }, signal);
    dispenser.takeCard();
    await dispenser.dispense({ to: 'exit' }, signal);
    dispenser.takeCard();
    expect(thresholds).toEqual(['low', 'empty']);
    expect(await dispenser.dispense({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'hopperEmpty' });
    dispenser.loadHopper(50);
    expect(dispenser.getStatus().hopper).toBe('ok');
    expect((await dispenser.dispense({ to: 'exit' }, signal)).completionCode).toBe('success');
  });

  it('retains an untaken card and counts the reject bin up to full', async () => {
    dispenser = await openDispenser({ rejectCapacity: 2, rejectThreshold: 1 });
    const retained: number[] = [];
    dispenser.on('mediaRetained', (e) => retained.push(e.rejectCount));
    expect(await dispenser.retain(undefined, signal)).toMatchObject({ errorCode: 'noMedia' });
    for (let i = 0; i < 2; i++) {
      await dispenser.dispense({ to: 'exit' }, signal);
      expect((await dispenser.retain(undefined, signal)).completionCode).toBe('success');
    }
    expect(retained).toEqual([1, 2]);
    expect(dispenser.getStatus().rejectBin).toMatchObject({ count: 2, state: 'full' });
    await dispenser.dispense({ to: 'readWrite' }, signal);
    expect(await dispenser.retain(undefined, signal)).toMatchObject({ errorCode: 'rejectBinFull' });
    expect(await dispenser.reset(undefined, signal)).toMatchObject({ errorCode: 'rejectBinFull' });
    expect(dispenser.getStatus().media).toBe('readWrite');
  });

  it('rejects a card left at the read/write position on reset, but not one at the exit', async () => {
    await dispenser.dispense({ to: 'readWrite' }, signal);
    await dispenser.reset(undefined, signal);
    expect(dispenser.getStatus()).toMatchObject({ media: 'notPresent', rejectBin: { count: 1 } });
    await dispenser.dispense({ to: 'exit' }, signal);
    await dispenser.reset(undefined, signal);
    expect(dispenser.getStatus()).toMatchObject({ media: 'exit', rejectBin: { count: 1 } });
  });

  it('fails with mediaJam until the jam is cleared', async () => {
    await dispenser.dispense({ to: 'readWrite' }, signal);
    dispenser.jamCard();
    expect(dispenser.getStatus().media).toBe('jammed');
    expect(await dispenser.move({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'mediaJam' });
    expect(await dispenser.dispense({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'mediaJam' });
    dispenser.clearJam();
    expect((await dispenser.dispense({ to: 'exit' }, signal)).completionCode).toBe('success');
  });

  it('fails move with noMedia when the transport is empty', async () => {
    expect(await dispenser.move({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'noMedia' });
  });

  it('passes an injected double pick as cardCollision without using a card', async () => {
    dispenser = await openDispenser({ hopperCount: 1 });
    dispenser.injectFault('dispense', { errorCode: 'cardCollision' });
    expect(await dispenser.dispense({ to: 'exit' }, signal)).toMatchObject({ errorCode: 'cardCollision' });
    expect((await dispenser.dispense({ to: 'exit' }, signal)).completionCode).toBe('success');
  });
});
