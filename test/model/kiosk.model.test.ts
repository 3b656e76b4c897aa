import { getAdjacencyMap } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { kioskMachine, type KioskContext } from '../../state-machines/kiosk/kiosk.machine.js';
import { coverageOf, machineInventory, type Adjacency } from './graph-coverage.js';

const limits = { currency: 'CNY', maxWithdrawalMinor: 500_000, noteMultipleMinor: 10_000, fastCashMinor: [10_000] };
const device = (id: string, deviceClass: string, state: 'online' | 'offline', critical = true) =>
  ({ type: 'device.statusChanged', id, deviceClass, state, critical, limits: [] }) as never;

/** Devices, host, enclosure, customers and the session's end, as plain events. */
const events = [
  { type: 'devices.opened' },
  device('cardReader', 'cardReader', 'online'),
  device('cardReader', 'cardReader', 'offline'),
  device('pinPad', 'pinPad', 'online'),
  { type: 'host.statusChanged', up: true },
  { type: 'host.statusChanged', up: false },
  { type: 'safety.changed', stops: ['safeDoorOpen'] },
  { type: 'safety.changed', stops: [] },
  { type: 'headphones.changed', inserted: true },
  { type: 'ui.languageSelected', language: 'en' },
  { type: 'ui.accessibilityChanged', elderly: true, highContrast: false },
  { type: 'customer.cardInserted' },
  { type: 'customer.codeScanned', code: '123456' },
  { type: 'pinpad.digitPressed', digits: 1 },
  { type: 'ui.confirmed' },
  { type: 'xstate.done.actor.session', output: { sessionId: '1', cardOutcome: 'returned', results: [] } },
  { type: 'xstate.error.actor.session', error: new Error('session') },
  { type: 'operator.switchChanged', position: 'supervisor' },
  { type: 'operator.switchChanged', position: 'run' },
] as never[];

type Snap = { value: unknown; context: KioskContext; status: string };

const serializeState = (s: Snap) =>
  JSON.stringify([
    s.value,
    s.context.availability.inService,
    s.context.hostUp,
    s.context.safetyStops.length,
    Object.values(s.context.devices).map((d) => d.state),
    s.context.language,
    s.context.elderly,
    s.context.maintenanceRequested,
  ]);

describe('kiosk machine, model-based', () => {
  const adjacency = getAdjacencyMap(kioskMachine, {
    events,
    input: { defaultLanguage: 'zh-CN', hostConfigured: true, limits },
    serializeState,
  } as never) as unknown as Adjacency;
  const inventory = machineInventory(kioskMachine);
  const states = Object.values(adjacency).map(
    (entry) => entry.state as unknown as Snap & { matches(v: unknown): boolean },
  );

  it(`reaches all ${inventory.states.size} states and takes all ${inventory.transitions.size} declared transitions`, () => {
    const covered = coverageOf(adjacency);
    expect([...inventory.states].filter((s) => !covered.states.has(s))).toEqual([]);
    expect([...inventory.transitions].filter((t) => !covered.transitions.has(t))).toEqual([]);
  });

  it('is in maintenance exactly when the switch asks for it, unless a customer session is still running', () => {
    for (const s of states) {
      if (s.matches('starting') || s.matches({ inService: 'session' })) continue;
      expect(s.matches('maintenance'), JSON.stringify(s.value)).toBe(s.context.maintenanceRequested);
    }
    // A session in progress is not interrupted by the switch.
    expect(states.some((s) => s.matches({ inService: 'session' }) && s.context.maintenanceRequested)).toBe(true);
  });

  it('never idles in service with the host down, a safety stop set, or a critical device offline', () => {
    for (const s of states) {
      if (!s.matches({ inService: 'idle' })) continue;
      expect(s.context.hostUp).toBe(true);
      expect(s.context.safetyStops).toEqual([]);
      expect(Object.values(s.context.devices).every((d) => !d.critical || d.state === 'online')).toBe(true);
    }
  });
});
