import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { LightsStatus } from '../../../../drivers/lights/contract.js';
import { MemoryLights } from '../../../../drivers/lights/memory.js';

const signal = new AbortController().signal;

async function openLights() {
  const lights = new MemoryLights({
    id: 'lights',
    clock: new ManualClock(),
    fitted: { cardReader: 'green', receiptPrinter: undefined },
  });
  await lights.open(signal);
  return lights;
}

describe('MemoryLights', () => {
  it('starts with every fitted light off', async () => {
    const lights = await openLights();
    expect(lights.getStatus().lights).toEqual({ cardReader: { flashRate: 'off' }, receiptPrinter: { flashRate: 'off' } });
  });

  it('sets flash rate and colour, and reports the change', async () => {
    const lights = await openLights();
    const changes: Partial<LightsStatus>[] = [];
    lights.on('statusChanged', (c) => changes.push(c));
    expect((await lights.setLight({ light: 'cardReader', flashRate: 'quick' }, signal)).completionCode).toBe('success');
    await lights.setLight({ light: 'cardReader', flashRate: 'quick', color: 'red' }, signal);
    await lights.setLight({ light: 'receiptPrinter', flashRate: 'slow', color: 'red' }, signal);
    expect(lights.getStatus().lights).toEqual({
      cardReader: { flashRate: 'quick', color: 'red' },
      receiptPrinter: { flashRate: 'slow' },
    });
    expect(changes[0]).toEqual({
      lights: { cardReader: { flashRate: 'quick', color: 'green' }, receiptPrinter: { flashRate: 'off' } },
    });
    await lights.setLight({ light: 'cardReader', flashRate: 'off' }, signal);
    expect(lights.getStatus().lights.cardReader).toEqual({ flashRate: 'off' });
  });

  it('fails with invalidLight for a light that is not fitted', async () => {
    const lights = await openLights();
    expect(await lights.setLight({ light: 'pinPad', flashRate: 'slow' }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'invalidLight',
    });
  });

  it('passes an injected lightError and leaves the state unchanged', async () => {
    const lights = await openLights();
    lights.injectFault('setLight', { errorCode: 'lightError' });
    expect(await lights.setLight({ light: 'cardReader', flashRate: 'slow' }, signal)).toMatchObject({
      errorCode: 'lightError',
    });
    expect(lights.getStatus().lights.cardReader).toEqual({ flashRate: 'off' });
  });
});
