import { describe, expect, it } from 'vitest';
import { MemoryAuxiliaries } from '../../../drivers/auxiliaries/memory.js';
import { ManualClock } from '../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import { safetyStops, deviceLimits } from '../../../main/runtime/device-health.js';
import { DEVICE_MODELS } from '../../../main/runtime/device-models.js';
import { computeAvailability } from '../../../state-machines/kiosk/availability.js';

describe('the modbusIoBoard device model', () => {
  const model = DEVICE_MODELS.modbusIoBoard;

  it('builds the Auxiliaries face with the Lights face as its companion', () => {
    if (!model) throw new Error('modbusIoBoard is not registered');
    const options = model.optionsSchema.parse({ pollIntervalMs: 100, lightsId: 'guidanceLights' });
    const device = model.create('enclosure', new ManualClock(), createMemoryPipe().host, options);
    expect(device).toMatchObject({ id: 'enclosure', deviceClass: 'auxiliaries' });
    const companions = (device as { companions?: readonly { id: string; deviceClass: string }[] }).companions;
    expect(companions?.map((c) => [c.id, c.deviceClass])).toEqual([['guidanceLights', 'lights']]);
    expect(deviceLimits(device)).toEqual([]);
  });

  it('refuses unknown and out-of-range options', () => {
    expect(model?.optionsSchema.safeParse({ unitId: 0 }).success).toBe(false);
    expect(model?.optionsSchema.safeParse({ unitId: 248 }).success).toBe(false);
    expect(model?.optionsSchema.safeParse({ baud: 9600 }).success).toBe(false);
    expect(model?.optionsSchema.safeParse({ lightsId: 'guidance-lights' }).success).toBe(false);
  });
});

describe('safety stops from the enclosure sensors', () => {
  const enclosure = (): MemoryAuxiliaries => new MemoryAuxiliaries({ id: 'enclosure', clock: new ManualClock() });

  it('are none for a closed kiosk with the switch in run', () => {
    expect(safetyStops([enclosure()])).toEqual([]);
  });

  it('name the safe door, tamper and the operator switch, and take the kiosk out of service', () => {
    const aux = enclosure();
    aux.openDoor('safe');
    aux.setSensors({ operatorSwitch: 'supervisor', tamperSensor: 'on' });
    const stops = safetyStops([aux]);
    expect(stops.sort()).toEqual(['operatorSwitchNotRun', 'safeDoorOpen', 'tamper']);
    expect(computeAvailability({ devices: [], hostUp: null, safetyStops: stops })).toMatchObject({ inService: false });
  });

  it('treat a tampered door or shield as tamper, an open cabinet door as no stop', () => {
    const aux = enclosure();
    aux.openDoor('cabinet');
    expect(safetyStops([aux])).toEqual([]);
    aux.setSensors({ vandalShield: 'tampered' });
    expect(safetyStops([aux])).toEqual(['tamper']);
  });
});
