import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import type { AuxiliariesStatus } from '../../../../drivers/auxiliaries/contract.js';
import { MemoryAuxiliaries } from '../../../../drivers/auxiliaries/memory.js';

const signal = new AbortController().signal;

describe('MemoryAuxiliaries', () => {
  let aux: MemoryAuxiliaries;
  let changes: Partial<AuxiliariesStatus>[];
  beforeEach(async () => {
    aux = new MemoryAuxiliaries({ id: 'auxiliaries', clock: new ManualClock() });
    await aux.open(signal);
    changes = [];
    aux.on('statusChanged', (c) => changes.push(c));
  });

  it('reports door changes as statusChanged deltas', () => {
    aux.openDoor('safe');
    aux.openDoor('safe');
    aux.closeDoor('safe');
    aux.openDoor('cabinet');
    expect(changes).toEqual([{ safeDoor: 'open' }, { safeDoor: 'locked' }, { cabinetDoor: 'open' }]);
  });

  it('reports switch, tamper, headphone and UPS changes', () => {
    aux.setSensors({ operatorSwitch: 'maintenance', headphoneJack: 'inserted' });
    aux.setSensors({ ups: { low: false, engaged: true, powering: true, recovered: false } });
    aux.setSensors({ ups: { low: false, engaged: true, powering: true, recovered: false } });
    expect(changes).toEqual([
      { operatorSwitch: 'maintenance', headphoneJack: 'inserted' },
      { ups: { low: false, engaged: true, powering: true, recovered: false } },
    ]);
    expect(aux.getStatus()).toMatchObject({ operatorSwitch: 'maintenance', vandalShield: 'closed' });
  });

  it('sets the audible alarm', async () => {
    expect((await aux.setAuxiliaries({ audibleAlarm: 'on' }, signal)).completionCode).toBe('success');
    expect(changes).toEqual([{ audibleAlarm: 'on' }]);
  });

  it('refuses outputs the kiosk does not have', async () => {
    const bare = new MemoryAuxiliaries({
      id: 'auxiliaries',
      clock: new ManualClock(),
      sensors: { audibleAlarm: 'notAvailable', ups: 'notAvailable' },
    });
    await bare.open(signal);
    expect(bare.getStatus().ups).toBe('notAvailable');
    expect(await bare.setAuxiliaries({ audibleAlarm: 'on' }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'invalidAuxiliary',
    });
  });
});
