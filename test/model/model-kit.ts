import { it, expect } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import type { HostResult } from '../../state-machines/session/types.js';
import { machineInventory, uncovered, type Adjacency } from './graph-coverage.js';

/** An actor's result as the event a machine receives; the traversal runs no actor. */
export const done = (id: string, output?: unknown) => ({ type: `xstate.done.actor.${id}`, output }) as never;
export const error = (id: string) => ({ type: `xstate.error.actor.${id}`, error: new Error(id) }) as never;

/** A transaction machine at the root of a model: there is no session to send watchdog requests to. */
export const atRoot = <M extends AnyStateMachine>(machine: M): M =>
  machine.provide({ actions: { armWatchdog: () => undefined, disarmWatchdog: () => undefined } }) as M;

export interface Model<S> {
  readonly adjacency: Adjacency;
  readonly inventory: ReturnType<typeof machineInventory>;
  /** Every snapshot the traversal reached. */
  readonly snapshots: readonly S[];
  /** The snapshots where the machine stopped. */
  readonly ends: readonly S[];
}

/** Explores `machine` from `input` with `events`, telling snapshots apart by `serializeState`. */
export function modelOf<S extends { status: string }>(
  machine: AnyStateMachine,
  options: { events: readonly unknown[]; input: unknown; serializeState: (snapshot: S) => string },
): Model<S> {
  const adjacency = getAdjacencyMap(machine, options as never) as unknown as Adjacency;
  const snapshots = Object.values(adjacency).map((entry) => entry.state as S);
  return {
    adjacency,
    inventory: machineInventory(machine),
    snapshots,
    ends: snapshots.filter((s) => s.status === 'done'),
  };
}

/** The test every model runs first: the traversal reaches every state and takes every declared transition. */
export function itReachesEverything(model: Model<unknown>): void {
  const { inventory, adjacency } = model;
  it(`reaches all ${inventory.states.size} states and takes all ${inventory.transitions.size} declared transitions`, () => {
    expect(uncovered(inventory, adjacency)).toEqual({ states: [], transitions: [] });
  });
}

/**
 * Every event of an inquiry (balance, mini-statement): the host's answers
 * through the `ask` actor (`answer` builds them; `sessionAction` is one the
 * session decides on), the customer's choices, the `print` actor's results
 * and the notices timing out.
 */
export function inquiryEvents(options: {
  readonly id: string;
  readonly ask: string;
  readonly print: string;
  readonly answer: (action: HostResult['action']) => unknown;
  readonly sessionAction: HostResult['action'];
}): never[] {
  const { id, ask, print, answer, sessionAction } = options;
  return [
    done(ask, answer('approve')),
    done(ask, answer('decline')),
    done(ask, answer(sessionAction)),
    error(ask),
    { type: 'ui.optionSelected', option: 'receipt.print' },
    { type: 'ui.confirmed' },
    { type: 'ui.cancelPressed' },
    done(print),
    error(print),
    { type: `xstate.after.notice.${id}.refusedNotice` },
    { type: `xstate.after.notice.${id}.failedNotice` },
  ] as never[];
}

/** What an inquiry gets from the session in its models. */
export const INQUIRY_INPUT = { receiptsAvailable: true, noticeMs: 5_000 } as const;
