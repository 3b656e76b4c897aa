import { getAdjacencyMap } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { balanceMachine, type BalanceContext } from '../../state-machines/transactions/balance.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { coverageOf, machineInventory, type Adjacency } from './graph-coverage.js';

const host = (action: HostResult['action']): HostResult => ({
  action,
  responseCode: '00',
  ...(action === 'approve' ? { availableBalanceMinor: 123_400, ledgerBalanceMinor: 150_000 } : {}),
});
const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output }) as never;
const error = (id: string) => ({ type: `xstate.error.actor.${id}`, error: new Error(id) }) as never;

const events = [
  done('authorize', host('approve')),
  done('authorize', host('decline')),
  done('authorize', host('wrongPin')),
  error('authorize'),
  { type: 'ui.optionSelected', option: 'receipt.print' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  done('printBalance'),
  error('printBalance'),
  { type: 'xstate.after.notice.balance.refusedNotice' },
  { type: 'xstate.after.notice.balance.failedNotice' },
] as never[];

type Snap = { value: unknown; context: BalanceContext; status: string; output?: TransactionResult };

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.result?.action, s.context.message, s.context.outcome]);

// At the root there is no session to send watchdog requests to.
const machine = balanceMachine.provide({ actions: { armWatchdog: () => undefined, disarmWatchdog: () => undefined } });

describe('balance machine, model-based', () => {
  const adjacency = getAdjacencyMap(machine, {
    events,
    input: { receiptsAvailable: true, noticeMs: 5_000 },
    serializeState,
  } as never) as unknown as Adjacency;
  const inventory = machineInventory(machine);

  it(`reaches all ${inventory.states.size} states and takes all ${inventory.transitions.size} declared transitions`, () => {
    const covered = coverageOf(adjacency);
    expect([...inventory.states].filter((s) => !covered.states.has(s))).toEqual([]);
    expect([...inventory.transitions].filter((t) => !covered.transitions.has(t))).toEqual([]);
  });

  it('completes only after the host approved, and shows a balance only then', () => {
    const ends = Object.values(adjacency)
      .map((entry) => entry.state as unknown as Snap)
      .filter((s) => s.status === 'done');
    expect(ends.length).toBeGreaterThan(0);
    for (const end of ends) {
      if (end.output?.outcome === 'completed') expect(end.context.result?.action).toBe('approve');
      else expect(end.output?.outcome).not.toBe('completed');
    }
  });
});
