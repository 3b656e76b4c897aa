import { assign, fromPromise, setup } from 'xstate';
import type { HostResult, TransactionResult } from '../session/types.js';
import { endingStates, isRefusal, refusalReason, sessionOutcome, transactionActions } from './common.js';

export interface BalanceInput {
  readonly receiptsAvailable: boolean;
  readonly noticeMs: number;
}

export interface BalanceContext extends BalanceInput {
  readonly result?: HostResult;
  readonly message?: string;
  readonly outcome?: TransactionResult['outcome'];
}

export type BalanceEvent =
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' };

/** Balance inquiry: ask the host, show ledger and available balance, print on request. */
export const balanceMachine = setup({
  types: {
    context: {} as BalanceContext,
    input: {} as BalanceInput,
    events: {} as BalanceEvent,
    output: {} as TransactionResult,
  },
  actors: {
    authorize: fromPromise<HostResult, { amountMinor: number }>(() => {
      throw new Error('authorize not provided');
    }),
    printBalance: fromPromise<void, { availableMinor: number; ledgerMinor: number }>(() => {
      throw new Error('printBalance not provided');
    }),
  },
  actions: {
    ...transactionActions<BalanceContext, BalanceEvent>(),
  },
  guards: {
    approved: ({ event }) => (event as { output?: HostResult }).output?.action === 'approve',
    refused: ({ event }) => {
      const output = (event as { output?: HostResult }).output;
      return output !== undefined && isRefusal(output);
    },
    wantsPrint: ({ context, event }) =>
      context.receiptsAvailable && event.type === 'ui.optionSelected' && event.option === 'receipt.print',
  },
  delays: { notice: ({ context }) => context.noticeMs },
}).createMachine({
  id: 'balance',
  context: ({ input }) => ({ ...input }),
  initial: 'authorizing',
  states: {
    authorizing: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'authorize',
        src: 'authorize',
        input: { amountMinor: 0 },
        onDone: [
          { guard: 'approved', target: 'showing', actions: assign({ result: ({ event }) => event.output }) },
          {
            guard: 'refused',
            target: 'refusedNotice',
            actions: assign({ message: ({ event }) => refusalReason(event.output) }),
          },
          {
            target: 'handedToSession',
            actions: assign({ outcome: ({ event }) => sessionOutcome(event.output) ?? 'failed' }),
          },
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
        id: 'printBalance',
        src: 'printBalance',
        input: ({ context }) => ({
          availableMinor: context.result?.availableBalanceMinor ?? 0,
          ledgerMinor: context.result?.ledgerBalanceMinor ?? 0,
        }),
        onDone: 'completed',
        onError: { target: 'completed', actions: assign({ message: 'error.receiptFailed' }) },
      },
    },
    ...endingStates,
  },
  output: ({ context }) => ({
    kind: 'balance',
    outcome: context.outcome ?? 'failed',
    ...(context.message === undefined ? {} : { reason: context.message }),
  }),
});
