import { getAdjacencyMap } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { maintenanceMachine, type MaintenanceContext } from '../../state-machines/maintenance/maintenance.machine.js';
import { MAINTENANCE_MENU, RESET_CARD_BIN, type CashUnitInfo } from '../../state-machines/maintenance/types.js';
import { coverageOf, machineInventory, type Adjacency } from './graph-coverage.js';

const unit = (unitId: string, role: CashUnitInfo['role'], count: number): CashUnitInfo => ({
  unitId,
  role,
  currency: role === 'cassette' ? 'CNY' : '',
  valueMinor: role === 'cassette' ? 10_000 : 0,
  count,
  initial: count,
  dispensed: 0,
  rejected: 0,
  retracted: 0,
  fill: 'ok',
});
const UNITS = [unit('unit1', 'cassette', 50), unit('reject', 'bin', 0)];
const BIN = { count: 3, threshold: 40, capacity: 50 };

const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output }) as never;
const error = (id: string) => ({ type: `xstate.error.actor.${id}`, error: new Error(id) }) as never;
const idle = (state: string) => ({ type: `xstate.after.inactivity.maintenance.${state}` }) as never;
const option = (o: string) => ({ type: 'ui.optionSelected', option: o }) as never;

/** The technician's inputs, every actor's answers and every inactivity timeout, as plain events. */
const events = [
  { type: 'maint.login', operatorId: 'tech01', password: 'secret' },
  done('verifyOperator', { outcome: 'ok' }),
  done('verifyOperator', { outcome: 'wrong' }),
  done('verifyOperator', { outcome: 'locked', retryAfterMs: 300_000 }),
  error('verifyOperator'),
  ...[...MAINTENANCE_MENU, RESET_CARD_BIN].map(option),
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  { type: 'maint.countsEntered', counts: [120, 0] },
  // The reject bin left uncounted, and a count out of range: both refused.
  { type: 'maint.countsEntered', counts: [120] },
  { type: 'maint.countsEntered', counts: [3001, 0] },
  done('readCashUnits', UNITS),
  error('readCashUnits'),
  done('startExchange', UNITS),
  error('startExchange'),
  done('endExchange', [unit('unit1', 'cassette', 120), unit('reject', 'bin', 0)]),
  error('endExchange'),
  done('cancelExchange'),
  error('cancelExchange'),
  done('readCardBin', BIN),
  error('readCardBin'),
  done('resetCardBin', { ...BIN, count: 0 }),
  error('resetCardBin'),
  done('printCounters'),
  error('printCounters'),
  done('logout'),
  error('logout'),
  ...['menu', 'devices', 'cashUnits', 'cardBin', 'notice', 'replenish.entering', 'replenish.confirming'].map(idle),
] as never[];

type Snap = { value: unknown; context: MaintenanceContext; status: string; matches(v: unknown): boolean };

const serializeState = (s: Snap) =>
  JSON.stringify([
    s.value,
    s.context.operatorId,
    s.context.message,
    s.context.leaving,
    s.context.units.length,
    s.context.enteredCounts,
    s.context.cardBin?.count,
  ]);

describe('maintenance machine, model-based', () => {
  const adjacency = getAdjacencyMap(maintenanceMachine, {
    events,
    input: { inactivityMs: 60_000 },
    serializeState,
  } as never) as unknown as Adjacency;
  const inventory = machineInventory(maintenanceMachine);
  const states = Object.values(adjacency).map((entry) => entry.state as unknown as Snap);

  it(`reaches all ${inventory.states.size} states and takes all ${inventory.transitions.size} declared transitions`, () => {
    const covered = coverageOf(adjacency);
    expect([...inventory.states].filter((s) => !covered.states.has(s))).toEqual([]);
    expect([...inventory.transitions].filter((t) => !covered.transitions.has(t))).toEqual([]);
  });

  it('shows the supervisor screens only to a technician the runtime let in', () => {
    for (const s of states) {
      const signedIn = !s.matches('login') && !s.matches('verifying');
      expect(s.context.operatorId !== undefined, JSON.stringify(s.value)).toBe(signedIn);
    }
  });

  it('never keeps the password in its context', () => {
    for (const s of states) expect(JSON.stringify(s.context)).not.toContain('secret');
  });

  it('asks to confirm only counts that fit the units, the reject bin included, and commits only confirmed counts', () => {
    for (const s of states) {
      if (s.matches({ replenish: 'confirming' }) || s.matches({ replenish: 'committing' })) {
        expect(s.context.enteredCounts).toEqual([120, 0]);
      }
    }
  });

  it('signs out after inactivity, also from the middle of a replenishment, which is canceled first', () => {
    const after = (from: Snap, event: unknown): Snap | undefined =>
      Object.values(adjacency).find((e) => serializeState(e.state as Snap) === serializeState(from))?.transitions[
        JSON.stringify(event)
      ]?.state as Snap | undefined;
    const entering = states.find((s) => s.matches({ replenish: 'entering' }));
    expect(entering).toBeDefined();
    const abandoning = entering && after(entering, idle('replenish.entering'));
    expect(abandoning?.matches({ replenish: 'abandoning' })).toBe(true);
    const loggingOut = abandoning && after(abandoning, done('cancelExchange'));
    expect(loggingOut?.matches('loggingOut')).toBe(true);
    const login = loggingOut && after(loggingOut, done('logout'));
    expect(login?.matches('login')).toBe(true);
    expect(login?.context).toMatchObject({ operatorId: undefined, message: 'maint.timedOut', units: [] });
  });
});
