import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { kioskMachine } from '../../../state-machines/kiosk/kiosk.machine.js';
import { maintenanceMachine } from '../../../state-machines/maintenance/maintenance.machine.js';
import type { CashUnitInfo, LoginResult, LogoutReason } from '../../../state-machines/maintenance/types.js';
import { projectView } from '../../../main/runtime/view-projection.js';

const limits = { currency: 'CNY', maxWithdrawalMinor: 500_000, noteMultipleMinor: 10_000, fastCashMinor: [10_000] };
const INACTIVITY_MS = 60_000;
const UNITS: CashUnitInfo[] = [
  {
    unitId: 'unit1',
    role: 'cassette',
    currency: 'CNY',
    valueMinor: 10_000,
    count: 12,
    initial: 50,
    dispensed: 38,
    rejected: 0,
    retracted: 0,
    fill: 'low',
  },
  {
    unitId: 'reject',
    role: 'bin',
    currency: '',
    valueMinor: 0,
    count: 0,
    initial: 0,
    dispensed: 0,
    rejected: 0,
    retracted: 0,
    fill: 'empty',
  },
];

/** The kiosk with supervisor mode's effects as recorders; the password check accepts "right". */
function kiosk() {
  const calls: string[] = [];
  const logouts: LogoutReason[] = [];
  const clock = new SimulatedClock();
  const maintenance = maintenanceMachine.provide({
    actors: {
      verifyOperator: fromPromise<LoginResult, { operatorId: string; password: string }>(({ input }) =>
        Promise.resolve(input.password === 'right' ? { outcome: 'ok' } : { outcome: 'wrong' }),
      ),
      logout: fromPromise<void, { operatorId: string; reason: LogoutReason }>(({ input }) => {
        logouts.push(input.reason);
        return Promise.resolve();
      }),
      startExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string }>(() => {
        calls.push('startExchange');
        return Promise.resolve(UNITS);
      }),
      cancelExchange: fromPromise<void, { operatorId: string }>(() => {
        calls.push('cancelExchange');
        return Promise.resolve();
      }),
      endExchange: fromPromise<readonly CashUnitInfo[], { operatorId: string; counts: readonly number[] }>(
        ({ input }) => {
          calls.push(`endExchange ${input.operatorId} ${input.counts.join(',')}`);
          return Promise.resolve(UNITS.map((u, i) => (i === 0 ? { ...u, count: input.counts[0] ?? 0 } : u)));
        },
      ),
    },
  });
  const machine = kioskMachine.provide({
    actors: { maintenance },
    actions: { maintenanceEnded: () => void calls.push('maintenanceEnded') },
  });
  const actor = createActor(machine, {
    clock,
    input: { defaultLanguage: 'zh-CN', hostConfigured: false, limits, maintenance: { inactivityMs: INACTIVITY_MS } },
  }).start();
  actor.send({
    type: 'device.statusChanged',
    id: 'receiptPrinter',
    deviceClass: 'printer',
    state: 'online',
    critical: true,
    limits: [],
  });
  actor.send({ type: 'devices.opened' });
  const view = () => projectView(actor.getSnapshot(), [], 'K1');
  return { actor, clock, calls, logouts, view };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('supervisor mode in the kiosk machine', () => {
  it('takes an idle kiosk to the login screen at supervisor and back into service at run', async () => {
    const { actor, calls, view } = kiosk();
    expect(view().screen).toBe('welcome');
    actor.send({ type: 'operator.switchChanged', position: 'supervisor' });
    expect(view()).toMatchObject({ screen: 'maintLogin', options: ['language.zh-CN', 'language.en'] });
    actor.send({ type: 'ui.languageSelected', language: 'en' });
    expect(view().language).toBe('en');
    actor.send({ type: 'maint.login', operatorId: 'tech01', password: 'wrong' });
    await settle();
    expect(view()).toMatchObject({ screen: 'maintLogin', data: { message: 'maint.login.wrong' } });
    actor.send({ type: 'maint.login', operatorId: 'tech01', password: 'right' });
    await settle();
    expect(view()).toMatchObject({ screen: 'maintMenu', data: { operatorId: 'tech01' } });
    expect(JSON.stringify(actor.getSnapshot().children.maintenance?.getSnapshot())).not.toContain('right');

    actor.send({ type: 'operator.switchChanged', position: 'run' });
    expect(actor.getSnapshot().value).toEqual({ inService: 'idle' });
    expect(calls).toEqual(['maintenanceEnded']);
    // The next customer gets the kiosk's own language back.
    expect(view()).toMatchObject({ screen: 'welcome', language: 'zh-CN' });
  });

  it('projects the replenishment steps and commits only the confirmed counts', async () => {
    const { actor, calls, view } = kiosk();
    actor.send({ type: 'operator.switchChanged', position: 'maintenance' });
    actor.send({ type: 'maint.login', operatorId: 'tech01', password: 'right' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'maint.replenish' });
    expect(view()).toMatchObject({ screen: 'pleaseWait', data: { step: 'step.working' } });
    await settle();
    expect(view()).toMatchObject({
      screen: 'maintReplenish',
      data: { cashUnits: UNITS, maxCount: 3000, operatorId: 'tech01' },
    });
    // The reject bin is counted too: a count for the cassette alone is refused.
    actor.send({ type: 'maint.countsEntered', counts: [2_000] });
    expect(view()).toMatchObject({ screen: 'maintReplenish', data: { message: 'maint.counts.invalid' } });
    actor.send({ type: 'maint.countsEntered', counts: [2_000, 0] });
    expect(view()).toMatchObject({ screen: 'maintReplenishConfirm', data: { enteredCounts: [2_000, 0] } });
    actor.send({ type: 'ui.cancelPressed' });
    expect(view().screen).toBe('maintReplenish');
    actor.send({ type: 'maint.countsEntered', counts: [1_800, 0] });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(view()).toMatchObject({ screen: 'maintNotice', data: { message: 'maint.replenish.done' } });
    expect(view().data.cashUnits?.[0]?.count).toBe(1_800);
    expect(calls).toEqual(['startExchange', 'endExchange tech01 1800,0']);
  });

  it('signs an idle technician out, canceling an open exchange first', async () => {
    const { actor, clock, calls, logouts, view } = kiosk();
    actor.send({ type: 'operator.switchChanged', position: 'supervisor' });
    actor.send({ type: 'maint.login', operatorId: 'tech01', password: 'right' });
    await settle();
    actor.send({ type: 'ui.optionSelected', option: 'maint.replenish' });
    await settle();
    clock.increment(INACTIVITY_MS - 1);
    expect(view().screen).toBe('maintReplenish');
    clock.increment(1);
    await settle();
    await settle();
    expect(calls).toEqual(['startExchange', 'cancelExchange']);
    expect(logouts).toEqual(['timeout']);
    expect(view()).toMatchObject({ screen: 'maintLogin', data: { message: 'maint.timedOut' } });
    expect(view().data.operatorId).toBeUndefined();
  });

  it('lets a customer session finish before the technician gets the kiosk', () => {
    const { actor } = kiosk();
    actor.send({ type: 'customer.cardInserted' });
    expect(actor.getSnapshot().matches({ inService: 'session' })).toBe(true);
    actor.send({ type: 'operator.switchChanged', position: 'supervisor' });
    expect(actor.getSnapshot().matches({ inService: 'session' })).toBe(true);
    actor.send({
      type: 'xstate.done.actor.session',
      output: { sessionId: '1', cardOutcome: 'returned', results: [] },
    } as never);
    expect(actor.getSnapshot().matches('maintenance')).toBe(true);
  });
});
