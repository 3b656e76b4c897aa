import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryFunctionKeys } from '../../../../drivers/function-keys/memory.js';

const signal = new AbortController().signal;

describe('MemoryFunctionKeys', () => {
  let keys: MemoryFunctionKeys;
  let log: string[];
  beforeEach(async () => {
    keys = new MemoryFunctionKeys({
      id: 'functionKeys',
      clock: new ManualClock(),
      capabilities: { keys: ['fdk01', 'fdk02', 'enter', 'up', 'down'] },
    });
    await keys.open(signal);
    log = [];
    keys.on('keyPressed', (e) => log.push(`+${e.key}`));
    keys.on('keyReleased', (e) => log.push(`-${e.key}`));
  });

  it('reports presses and releases of enabled keys only', async () => {
    await keys.setEnabledKeys({ keys: ['fdk01', 'up'] }, signal);
    expect(keys.getStatus().enabledKeys).toEqual(['fdk01', 'up']);
    expect(keys.pressKey('fdk02')).toBe(false);
    expect(keys.pressKey('fdk01')).toBe(true);
    expect(keys.releaseKey('fdk01')).toBe(true);
    expect(keys.releaseKey('fdk02')).toBe(false);
    expect(log).toEqual(['+fdk01', '-fdk01']);
  });

  it('reports the release of a key disabled while held, and no repeat press', async () => {
    await keys.setEnabledKeys({ keys: ['enter'] }, signal);
    keys.pressKey('enter');
    expect(keys.pressKey('enter')).toBe(false);
    await keys.setEnabledKeys({ keys: [] }, signal);
    keys.releaseKey('enter');
    expect(keys.pressKey('enter')).toBe(false);
    expect(log).toEqual(['+enter', '-enter']);
  });

  it('refuses keys the device does not have', async () => {
    expect(await keys.setEnabledKeys({ keys: ['fdk01', 'help'] }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'keyNotSupported',
    });
    expect(keys.getStatus().enabledKeys).toEqual([]);
  });
});
