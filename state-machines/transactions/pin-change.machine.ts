import { assign, fromPromise, setup } from 'xstate';
import type { PinEntryOutput } from '../session/session.machine.js';
import type { HostResult, TransactionResult } from '../session/types.js';
import {
  endingStates,
  endsAs,
  hostApproved,
  hostHandsToSession,
  refusalReason,
  sessionOutcome,
  transactionActions,
} from './common.js';

export interface PinChangeInput {
  readonly noticeMs: number;
}

/** Which entry the PIN pad is collecting, as the `pinChange` screen names it. */
export type PinChangeStage = 'new' | 'repeat';

export interface PinChangeContext extends PinChangeInput {
  readonly stage: PinChangeStage;
  /** Keys pressed so far on the PIN pad, for the dots. */
  readonly pinDigits: number;
  readonly message?: string;
  readonly outcome?: TransactionResult['outcome'];
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
    enterNewPin: fromPromise<PinEntryOutput, void>(() => {
      throw new Error('enterNewPin not provided');
    }),
    confirmNewPin: fromPromise<PinEntryOutput, void>(() => {
      throw new Error('confirmNewPin not provided');
    }),
    pinsMatch: fromPromise<boolean, void>(() => {
      throw new Error('pinsMatch not provided');
    }),
    changePin: fromPromise<HostResult, void>(() => {
      throw new Error('changePin not provided');
    }),
  },
  actions: {
    ...transactionActions<PinChangeContext, PinChangeEvent>(),
    countDigits: assign({ pinDigits: ({ event }) => (event.type === 'pinpad.digitPressed' ? event.digits : 0) }),
  },
  guards: {
    fullPin: ({ event }) => {
      const output = (event as { output?: PinEntryOutput }).output;
      return output?.completion === 'enter' && output.digits === NEW_PIN_DIGITS;
    },
    pressedEnter: ({ event }) => (event as { output?: PinEntryOutput }).output?.completion === 'enter',
    matched: ({ event }) => (event as { output?: boolean }).output === true,
    approved: hostApproved,
    handsToSession: hostHandsToSession,
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
          {
            guard: 'handsToSession',
            target: 'handedToSession',
            actions: assign({ outcome: ({ event }) => sessionOutcome(event.output) ?? 'failed' }),
          },
          { target: 'refusedNotice', actions: assign({ message: ({ event }) => refusalReason(event.output) }) },
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
  output: ({ context }) => ({
    kind: 'pinChange',
    outcome: context.outcome ?? 'failed',
    ...(context.message === undefined ? {} : { reason: context.message }),
  }),
});
