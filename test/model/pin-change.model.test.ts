import { describe, expect, it } from 'vitest';
import { pinChangeMachine, type PinChangeContext } from '../../state-machines/transactions/pin-change.machine.js';
import type { HostResult, TransactionResult } from '../../state-machines/session/types.js';
import { atRoot, done, error, itReachesEverything, modelOf } from './model-kit.js';

const host = (action: HostResult['action']): HostResult => ({ action, responseCode: '00' });

const events = [
  done('enterNewPin', { completion: 'enter', digits: 6 }),
  done('enterNewPin', { completion: 'enter', digits: 4 }),
  done('enterNewPin', { completion: 'cancel', digits: 0 }),
  done('enterNewPin', { completion: 'timeout', digits: 0 }),
  error('enterNewPin'),
  done('confirmNewPin', { completion: 'enter', digits: 6 }),
  done('confirmNewPin', { completion: 'timeout', digits: 0 }),
  error('confirmNewPin'),
  done('pinsMatch', true),
  done('pinsMatch', false),
  error('pinsMatch'),
  done('changePin', host('approve')),
  done('changePin', host('decline')),
  done('changePin', host('wrongPin')),
  error('changePin'),
  { type: 'pinpad.digitPressed', digits: 2 },
  { type: 'ui.confirmed' },
  { type: 'ui.cancelPressed' },
  { type: 'xstate.after.notice.pinChange.changedNotice' },
  { type: 'xstate.after.notice.pinChange.refusedNotice' },
  { type: 'xstate.after.notice.pinChange.failedNotice' },
] as never[];

type Snap = {
  value: unknown;
  context: PinChangeContext;
  status: string;
  output?: TransactionResult;
  matches(value: unknown): boolean;
};

const serializeState = (s: Snap) =>
  JSON.stringify([s.value, s.context.pinDigits, s.context.message, s.context.outcome]);

const machine = atRoot(pinChangeMachine);

describe('PIN change machine, model-based', () => {
  const model = modelOf<Snap>(machine, { events, input: { noticeMs: 5_000 }, serializeState });
  const { adjacency, ends } = model;
  itReachesEverything(model);

  it('asks the host only right after the PIN pad said the two entries match', () => {
    let hostCalls = 0;
    for (const { state, transitions } of Object.values(adjacency)) {
      const from = state as unknown as Snap;
      for (const { event, state: next } of Object.values(transitions)) {
        if (!(next as unknown as Snap).matches('changing') || from.matches('changing')) continue;
        hostCalls += 1;
        expect(from.matches('checking')).toBe(true);
        expect(event).toEqual({ type: 'xstate.done.actor.pinsMatch', output: true });
      }
    }
    expect(hostCalls).toBeGreaterThan(0);
  });

  it('completes only after the host approved the change', () => {
    expect(ends.some((s) => s.output?.outcome === 'completed')).toBe(true);
    for (const s of ends) {
      if (s.output?.outcome === 'completed') expect(s.context.message).toBe('pinChange.changed');
    }
  });
});
