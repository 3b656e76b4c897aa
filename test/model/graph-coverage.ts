import { getStateNodes } from 'xstate/graph';
import type { AnyStateMachine } from 'xstate';

/**
 * Every state node of a machine that can be at rest, and every (source, event)
 * transition it declares, so tests can assert that generated paths visit all
 * of them. Eventless transitions are covered through the states they reach.
 */
export function machineInventory(machine: AnyStateMachine): { states: Set<string>; transitions: Set<string> } {
  const states = new Set<string>();
  const transitions = new Set<string>();
  for (const node of getStateNodes(machine.root)) {
    // A transient state (an unguarded eventless exit) is never at rest, so no snapshot shows it.
    if (node.always?.some((t) => !t.guard)) continue;
    states.add(node.id);
    for (const [eventType, list] of node.transitions) {
      // Wildcards forward to children; they are covered by the concrete events behind them.
      if (eventType.endsWith('*')) continue;
      if (list.length > 0) transitions.add(`${node.id} ${eventType}`);
    }
  }
  return { states, transitions };
}

interface SnapshotNodes {
  readonly _nodes?: readonly { readonly id: string }[];
  readonly value?: unknown;
  readonly context?: unknown;
  readonly status?: string;
}

/** The snapshot's machine, which can say which transitions an event enables there. */
interface WithMachine {
  readonly machine?: {
    getTransitionData(snapshot: never, event: never): readonly { readonly actions: readonly unknown[] }[];
  };
}

/** An event that leaves the snapshot as it was but runs actions (a forward to a child) still took its transition. */
const acted = (snapshot: unknown, event: unknown): boolean =>
  (snapshot as WithMachine).machine
    ?.getTransitionData(snapshot as never, event as never)
    .some((t) => t.actions.length > 0) ?? false;

const fingerprint = (snapshot: unknown): string => {
  const s = snapshot as SnapshotNodes;
  return JSON.stringify([s.value, s.context, s.status]);
};

/** xstate/graph's adjacency map, loosely typed. */
export type Adjacency = Record<
  string,
  { state: unknown; transitions: Record<string, { event: unknown; state: unknown }> }
>;

/**
 * The states and (source, event) transitions the traversal explored: every
 * edge of xstate/graph's adjacency map, which is what its shortest and simple
 * paths are built from.
 */
export function coverageOf(adjacency: Adjacency): { states: Set<string>; transitions: Set<string> } {
  const states = new Set<string>();
  const transitions = new Set<string>();
  const ids = (snapshot: unknown): string[] => ((snapshot as SnapshotNodes)._nodes ?? []).map((n) => n.id);
  for (const { state, transitions: edges } of Object.values(adjacency)) {
    for (const id of ids(state)) states.add(id);
    for (const { event, state: next } of Object.values(edges)) {
      // Only edges that change something count; an ignored event leaves the snapshot as it was and runs nothing.
      if (fingerprint(next) === fingerprint(state) && !acted(state, event)) continue;
      for (const id of ids(state)) transitions.add(`${id} ${(event as { type: string }).type}`);
    }
  }
  return { states, transitions };
}

/** What of the machine's inventory the traversal missed; both lists empty when it reached everything. */
export function uncovered(
  inventory: { states: Set<string>; transitions: Set<string> },
  adjacency: Adjacency,
): { states: string[]; transitions: string[] } {
  const covered = coverageOf(adjacency);
  return {
    states: [...inventory.states].filter((s) => !covered.states.has(s)),
    transitions: [...inventory.transitions].filter((t) => !covered.transitions.has(t)),
  };
}
