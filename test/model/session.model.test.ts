import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { sessionMachine, type SessionContext } from '../../state-machines/session/session.machine.js';
import type { TransactionResult } from '../../state-machines/session/types.js';
import { ALL_SERVICES, sessionInput } from '../unit/state-machines/session-fixtures.js';
import { machineInventory, uncovered } from './graph-coverage.js';
import { done, error } from './model-kit.js';

const result = (outcome: TransactionResult['outcome'], extra: Partial<TransactionResult> = {}): TransactionResult => ({
  kind: 'withdrawal',
  outcome,
  ...extra,
});

/** Customer, device and transaction outcomes as plain events; child machines are modelled by their outputs. */
const events = [
  done('readCard', { kind: 'card', maskedPan: '622202******1234', cardRef: 'c1', chip: true }),
  error('readCard'),
  done('verifyAppointment', { kind: 'appointment', appointmentRef: 'A1', amountMinor: 50_000 }),
  error('verifyAppointment'),
  { type: 'ui.languageSelected', language: 'en' },
  done('enterPin', { completion: 'enter', digits: 6 }),
  done('enterPin', { completion: 'cancel', digits: 0 }),
  error('enterPin'),
  { type: 'pinpad.digitPressed', digits: 3 },
  { type: 'ui.optionSelected', option: 'menu.withdrawal' },
  { type: 'ui.optionSelected', option: 'menu.balance' },
  { type: 'ui.optionSelected', option: 'menu.deposit' },
  { type: 'ui.optionSelected', option: 'menu.transfer' },
  { type: 'ui.optionSelected', option: 'menu.pinChange' },
  { type: 'ui.optionSelected', option: 'menu.miniStatement' },
  done('transaction', result('completed')),
  done('transaction', result('wrongPin')),
  done('transaction', result('captureCard')),
  // A deposit that settled the notes of a customer who walked away.
  done('transaction', result('canceled', { kind: 'deposit', customerGone: true })),
  error('transaction'),
  { type: 'ui.optionSelected', option: 'another.yes' },
  { type: 'ui.optionSelected', option: 'another.no' },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  { type: 'ui.moreTimeRequested' },
  // Transaction machines send these to the session (sendParent); the session also raises them itself.
  { type: 'watchdog.arm' },
  { type: 'watchdog.disarm' },
  { type: 'watchdog.expired' },
  { type: 'xstate.after.customer.session.active.watchdog.counting' },
  { type: 'xstate.after.moreTimePrompt.session.active.watchdog.asking' },
  { type: 'xstate.after.notice.session.active.flow.customer.wrongPinNotice' },
  done('ejectCard'),
  error('ejectCard'),
  done('waitCardTaken'),
  { type: 'xstate.after.takeCard.session.active.flow.awaitingCardTaken' },
  done('captureCard'),
  error('captureCard'),
  { type: 'xstate.after.notice.session.active.flow.cardKeptNotice' },
  { type: 'xstate.after.notice.session.active.flow.appointmentRefused' },
] as never[];

type Snap = { value: unknown; context: SessionContext; status: string; output?: { cardOutcome: string } };

const serializeState = (s: Snap) =>
  // The result list grows with every "another transaction"; only its last entry steers the machine.
  JSON.stringify([
    s.value,
    s.context.cardOutcome,
    s.context.pinTries,
    s.context.results.at(-1)?.outcome,
    s.context.results.at(-1)?.customerGone,
    s.context.identity?.kind,
  ]);

describe.each([
  ['card', sessionInput({ services: ALL_SERVICES })],
  ['cardless', sessionInput({ trigger: 'appointment', appointmentCode: '123456' })],
])('session machine (%s), model-based', (_name, input) => {
  const options = { events, input, serializeState, limit: 20_000 } as never;
  const inventory = machineInventory(sessionMachine);
  const adjacency = getAdjacencyMap(sessionMachine, options);
  // Every reachable end state: the traversal explores all of them, so these cover every path's end.
  const ends = Object.values(adjacency)
    .map((entry) => entry.state as unknown as Snap)
    .filter((s) => s.status === 'done');
  const shortest = getShortestPaths(sessionMachine, {
    ...(options as object),
    toState: (s: Snap) => s.status === 'done',
  } as never);

  it('ends every path with the card returned, captured or reported stuck — never left inside', () => {
    expect(ends.length).toBeGreaterThan(0);
    expect(shortest.length).toBeGreaterThan(0);
    for (const snap of ends) {
      const outcome = snap.output?.cardOutcome;
      expect(['none', 'returned', 'captured', 'stuck']).toContain(outcome);
      if (input.trigger === 'appointment') expect(outcome).toBe('none');
    }
  });

  it('captures the card on every path where the host ordered it or the PIN tries ran out', () => {
    for (const snap of ends) {
      const capture = snap.context.results.some((r) => r.outcome === 'captureCard') || snap.context.pinTries >= 3;
      if (capture && snap.context.identity?.kind === 'card')
        expect(['captured', 'stuck']).toContain(snap.output?.cardOutcome);
    }
  });

  if (input.trigger === 'card') {
    it(`reaches all ${inventory.states.size} states and takes all ${inventory.transitions.size} declared transitions (with the cardless run)`, () => {
      const cardless = getAdjacencyMap(sessionMachine, {
        ...(options as object),
        input: sessionInput({ trigger: 'appointment', appointmentCode: '1' }),
      } as never);
      expect(uncovered(inventory, { ...adjacency, ...cardless } as never)).toEqual({ states: [], transitions: [] });
    });
  }
});
