import { assign, setup } from 'xstate';
import type { PinEntryOutput } from '../session/session.machine.js';
import type { HostResult, TransactionResult } from '../session/types.js';
import {
  endingStates,
  endsAs,
  hostGuards,
  notProvided,
  outputOf,
  refusedOrHandedToSession,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';

export interface PinChangeInput {
  readonly noticeMs: number;
}

/** Which entry the PIN pad is collecting, as the `pinChange` screen names it. */
export type PinChangeStage = 'new' | 'repeat';

export interface PinChangeContext extends PinChangeInput, EndingContext {
  readonly stage: PinChangeStage;
  /** Keys pressed so far on the PIN pad, for the dots. */
  readonly pinDigits: number;
}

export type PinChangeEvent =
  | { type: 'ui.cancelPressed' }
  | { type: 'ui.confirmed' }
  | { type: 'pinpad.digitPressed'; digits: number };

/** Chinese bank cards use six-digit PINs. */
export const NEW_PIN_DIGITS = 6;

/**
 * PIN change: the new PIN twice on the PIN pad, compared inside the pad (the
 * PIN never leaves it), then the host changes it (the session's PIN entry is
 * the current PIN). The host is asked only after the two entries matched.
 */
export const pinChangeMachine = setup({
  types: {
    context: {} as PinChangeContext,
    input: {} as PinChangeInput,
    events: {} as PinChangeEvent,
    output: {} as TransactionResult,
  },
  actors: {
    enterNewPin: notProvided<PinEntryOutput>('enterNewPin'),
    confirmNewPin: notProvided<PinEntryOutput>('confirmNewPin'),
    pinsMatch: notProvided<boolean>('pinsMatch'),
    changePin: notProvided<HostResult>('changePin'),
  },
  actions: {
    ...transactionActions<PinChangeContext, PinChangeEvent>(),
    countDigits: assign({ pinDigits: ({ event }) => (event.type === 'pinpad.digitPressed' ? event.digits : 0) }),
  },
  guards: {
    fullPin: ({ event }) => {
      const output = outputOf<PinEntryOutput>(event);
      return output?.completion === 'enter' && output.digits === NEW_PIN_DIGITS;
    },
    pressedEnter: ({ event }) => outputOf<PinEntryOutput>(event)?.completion === 'enter',
    matched: ({ event }) => outputOf<boolean>(event) === true,
    ...hostGuards,
  },
  delays: { notice: ({ context }) => context.noticeMs },
}).createMachine({
  id: 'pinChange',
  context: ({ input }) => ({ ...input, stage: 'new', pinDigits: 0 }),
  initial: 'enteringNew',
  states: {
    enteringNew: {
      entry: ['armWatchdog', assign({ stage: 'new', pinDigits: 0 })],
      invoke: {
        id: 'enterNewPin',
        src: 'enterNewPin',
        onDone: [
          { guard: 'fullPin', target: 'confirmingNew', actions: assign({ message: undefined }) },
          {
            guard: 'pressedEnter',
            target: 'enteringNew',
            reenter: true,
            actions: assign({ message: 'pinChange.tooShort' }),
          },
          { target: 'canceled' },
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.pinPadFailed' }) },
      },
      on: {
        'pinpad.digitPressed': { actions: ['armWatchdog', 'countDigits'] },
        'ui.cancelPressed': 'canceled',
      },
    },
    confirmingNew: {
      entry: ['armWatchdog', assign({ stage: 'repeat', pinDigits: 0 })],
      invoke: {
        id: 'confirmNewPin',
        src: 'confirmNewPin',
        onDone: [{ guard: 'pressedEnter', target: 'checking' }, { target: 'canceled' }],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.pinPadFailed' }) },
      },
      on: {
        'pinpad.digitPressed': { actions: ['armWatchdog', 'countDigits'] },
        'ui.cancelPressed': 'canceled',
      },
    },
    checking: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'pinsMatch',
        src: 'pinsMatch',
        onDone: [
          { guard: 'matched', target: 'changing' },
          { target: 'enteringNew', actions: assign({ message: 'pinChange.mismatch' }) },
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.pinPadFailed' }) },
      },
    },
    changing: {
      invoke: {
        id: 'changePin',
        src: 'changePin',
        onDone: [
          { guard: 'approved', target: 'changedNotice', actions: assign({ message: 'pinChange.changed' }) },
          ...refusedOrHandedToSession,
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    changedNotice: {
      entry: 'armWatchdog',
      on: { 'ui.confirmed': 'completed', 'ui.cancelPressed': 'completed' },
      after: { notice: 'completed' },
    },
    ...endingStates,
    canceled: endsAs('canceled'),
  },
  output: ({ context }) => resultOf('pinChange', context),
});
