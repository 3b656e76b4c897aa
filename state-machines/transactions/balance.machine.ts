import { assign, setup } from 'xstate';
import type { HostResult, TransactionResult } from '../session/types.js';
import {
  endingStates,
  hostApproved,
  hostRefused,
  notProvided,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';
import { showingThenPrinting, wantsPrint, type InquiryEvent, type InquiryInput } from './inquiry.js';

export type BalanceInput = InquiryInput;

export interface BalanceContext extends BalanceInput, EndingContext {
  readonly result?: HostResult;
}

export type BalanceEvent = InquiryEvent;

/** Balance inquiry: ask the host, show ledger and available balance, print on request. */
export const balanceMachine = setup({
  types: {
    context: {} as BalanceContext,
    input: {} as BalanceInput,
    events: {} as BalanceEvent,
    output: {} as TransactionResult,
  },
  actors: {
    authorize: notProvided<HostResult, { amountMinor: number }>('authorize'),
    printBalance: notProvided<void, { availableMinor: number; ledgerMinor: number }>('printBalance'),
  },
  actions: {
    ...transactionActions<BalanceContext, BalanceEvent>(),
  },
  guards: { approved: hostApproved, refused: hostRefused, wantsPrint },
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
          { guard: 'refused', target: 'refusedNotice', actions: 'explainRefusal' },
          { target: 'handedToSession', actions: 'takeSessionOutcome' },
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    ...showingThenPrinting('printBalance', ({ context }: { context: BalanceContext }) => ({
      availableMinor: context.result?.availableBalanceMinor ?? 0,
      ledgerMinor: context.result?.ledgerBalanceMinor ?? 0,
    })),
    ...endingStates,
  },
  output: ({ context }) => resultOf('balance', context),
});
