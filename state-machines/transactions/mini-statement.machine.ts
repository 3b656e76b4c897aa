import { assign, fromPromise, setup } from 'xstate';
import type { HostResult, StatementEntry, TransactionResult } from '../session/types.js';
import {
  endingStates,
  hostApproved,
  hostHandsToSession,
  refusalReason,
  sessionOutcome,
  transactionActions,
} from './common.js';

export interface MiniStatementInput {
  readonly receiptsAvailable: boolean;
  readonly noticeMs: number;
}

export interface MiniStatementOutput extends HostResult {
  /** Newest first. */
  readonly lines: readonly StatementEntry[];
}

export interface MiniStatementContext extends MiniStatementInput {
  readonly lines: readonly StatementEntry[];
  readonly message?: string;
  readonly outcome?: TransactionResult['outcome'];
}

export type MiniStatementEvent =
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' };

/** Mini-statement: ask the host for the last transactions, show them, print them on request. */
export const miniStatementMachine = setup({
  types: {
    context: {} as MiniStatementContext,
    input: {} as MiniStatementInput,
    events: {} as MiniStatementEvent,
    output: {} as TransactionResult,
  },
  actors: {
    fetchStatement: fromPromise<MiniStatementOutput, void>(() => {
      throw new Error('fetchStatement not provided');
    }),
    printStatement: fromPromise<void, { lines: readonly StatementEntry[] }>(() => {
      throw new Error('printStatement not provided');
    }),
  },
  actions: {
    ...transactionActions<MiniStatementContext, MiniStatementEvent>(),
  },
  guards: {
    approved: hostApproved,
    handsToSession: hostHandsToSession,
    wantsPrint: ({ context, event }) =>
      context.receiptsAvailable && event.type === 'ui.optionSelected' && event.option === 'receipt.print',
  },
  delays: { notice: ({ context }) => context.noticeMs },
}).createMachine({
  id: 'miniStatement',
  context: ({ input }) => ({ ...input, lines: [] }),
  initial: 'fetching',
  states: {
    fetching: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'fetchStatement',
        src: 'fetchStatement',
        onDone: [
          { guard: 'approved', target: 'showing', actions: assign({ lines: ({ event }) => event.output.lines }) },
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
    showing: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': { guard: 'wantsPrint', target: 'printing' },
        'ui.confirmed': 'completed',
        'ui.cancelPressed': 'completed',
      },
    },
    printing: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'printStatement',
        src: 'printStatement',
        input: ({ context }) => ({ lines: context.lines }),
        onDone: 'completed',
        onError: { target: 'completed', actions: assign({ message: 'error.receiptFailed' }) },
      },
    },
    ...endingStates,
  },
  output: ({ context }) => ({
    kind: 'miniStatement',
    outcome: context.outcome ?? 'failed',
    ...(context.message === undefined ? {} : { reason: context.message }),
  }),
});
