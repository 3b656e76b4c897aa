import { getAdjacencyMap } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import {
  miniStatementMachine,
  type MiniStatementContext,
} from '../../state-machines/transactions/mini-statement.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { coverageOf, machineInventory, type Adjacency } from './graph-coverage.js';

const line = { date: '2025-03-01', description: 'statement.deposit', amountMinor: 500_000 };
const host = (action: HostResult['action']) => ({
  action,
  responseCode: '00',
  lines: action === 'approve' ? [line] : [],
});
const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output }) as never;
const error = (id: string) => ({ type: `xstate.error.actor.${id}`, error: new Error(id) }) as never;

const events = [
  done('fetchStatement', host('approve')),
  done('fetchStatement', host('decline')),
  done('fetchStatement', host('captureCard')),
  error('fetchStatement'),
  { type: 'ui.optionSelected', option: 'receipt.print' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  done('printStatement'),
  error('printStatement'),
  { type: 'xstate.after.notice.miniStatement.refusedNotice' },
  { type: 'xstate.after.notice.miniStatement.failedNotice' },
] as never[];

type Snap = { value: unknown; context: MiniStatementContext; status: string; output?: TransactionResult };

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.lines.length, s.context.message, s.context.outcome]);

// At the root there is no session to send watchdog requests to.
const machine = miniStatementMachine.provide({
  actions: { armWatchdog: () => undefined, disarmWatchdog: () => undefined },
});

describe('mini-statement machine, model-based', () => {
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

  it('completes only with the lines the host approved', () => {
    const ends = Object.values(adjacency)
      .map((entry) => entry.state as unknown as Snap)
      .filter((s) => s.status === 'done');
    expect(ends.length).toBeGreaterThan(0);
    for (const s of ends) {
      if (s.output?.outcome === 'completed') expect(s.context.lines).toEqual([line]);
      else expect(s.context.lines).toEqual([]);
    }
  });
});
