import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { HostResult, TransactionResult } from '../session/types.js';
import { isRefusal, refusalReason, sessionOutcome, WATCHDOG_ARM, WATCHDOG_DISARM } from './common.js';

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
    armWatchdog: sendParent(WATCHDOG_ARM),
    disarmWatchdog: sendParent(WATCHDOG_DISARM),
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
    refusedNotice: {
      entry: 'armWatchdog',
      on: { 'ui.confirmed': 'declined', 'ui.cancelPressed': 'declined' },
      after: { notice: 'declined' },
    },
    failedNotice: {
      on: { 'ui.confirmed': 'failed', 'ui.cancelPressed': 'failed' },
      after: { notice: 'failed' },
    },
    completed: { type: 'final', entry: assign({ outcome: 'completed' }) },
    declined: { type: 'final', entry: assign({ outcome: 'declined' }) },
    failed: { type: 'final', entry: assign({ outcome: 'failed' }) },
    handedToSession: { type: 'final' },
  },
  output: ({ context }) => ({
    kind: 'balance',
    outcome: context.outcome ?? 'failed',
    ...(context.message === undefined ? {} : { reason: context.message }),
  }),
});
