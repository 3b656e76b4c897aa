import { assign, setup } from 'xstate';
import type { HostResult, StatementEntry, TransactionResult } from '../session/types.js';
import {
  endingStates,
  hostGuards,
  notProvided,
  refusedOrHandedToSession,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';
import { showingThenPrinting, wantsPrint, type InquiryEvent, type InquiryInput } from './inquiry.js';

export type MiniStatementInput = InquiryInput;

export interface MiniStatementOutput extends HostResult {
  /** Newest first. */
  readonly lines: readonly StatementEntry[];
}

export interface MiniStatementContext extends MiniStatementInput, EndingContext {
  readonly lines: readonly StatementEntry[];
}

export type MiniStatementEvent = InquiryEvent;

/** Mini-statement: ask the host for the last transactions, show them, print them on request. */
export const miniStatementMachine = setup({
  types: {
    context: {} as MiniStatementContext,
    input: {} as MiniStatementInput,
    events: {} as MiniStatementEvent,
    output: {} as TransactionResult,
  },
  actors: {
    fetchStatement: notProvided<MiniStatementOutput>('fetchStatement'),
    printStatement: notProvided<void, { lines: readonly StatementEntry[] }>('printStatement'),
  },
  actions: {
    ...transactionActions<MiniStatementContext, MiniStatementEvent>(),
  },
  guards: { ...hostGuards, wantsPrint },
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
          ...refusedOrHandedToSession,
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    ...showingThenPrinting('printStatement', ({ context }: { context: MiniStatementContext }) => ({
      lines: context.lines,
    })),
    ...endingStates,
  },
  output: ({ context }) => resultOf('miniStatement', context),
});
