import { assign, setup } from 'xstate';
import type { HostResult, Language, TransactionResult } from '../session/types.js';
import {
  endingStates,
  endsAs,
  hostApproved,
  hostOutput,
  hostRefused,
  notProvided,
  outputOf,
  receiptGuards,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';

export interface WithdrawalInput {
  readonly language: Language;
  readonly currency: string;
  readonly maxAmountMinor: number;
  readonly noteMultipleMinor: number;
  readonly fastCashMinor: readonly number[];
  readonly receiptsAvailable: boolean;
  /** Cardless: the amount booked in the app; the customer only confirms it. */
  readonly fixedAmountMinor?: number;
  readonly noticeMs: number;
  readonly takeCashMs: number;
}

export interface WithdrawalContext extends WithdrawalInput, EndingContext {
  readonly amountMinor: number;
  readonly wantReceipt: boolean;
  readonly approval?: HostResult;
  /** Minor units that left the dispenser towards the customer. */
  readonly dispensedMinor: number;
}

export interface DispenseOutput {
  /** What reached the stacker, minor units; less than asked means a partial dispense. */
  readonly amountMinor: number;
}

export type WithdrawalEvent =
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.amountEntered'; amountMinor: number }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' };

const fastCashOption = (amountMinor: number): string => `amount.${amountMinor}`;

/**
 * Cash withdrawal: amount → receipt choice → confirm → host authorisation →
 * dispense to the stacker → present → taken, or retracted when the customer
 * leaves the notes. Every path after an approval that did not hand over the
 * full amount queues a reversal, so the host is always told the truth.
 */
export const withdrawalMachine = setup({
  types: {
    context: {} as WithdrawalContext,
    input: {} as WithdrawalInput,
    events: {} as WithdrawalEvent,
    output: {} as TransactionResult,
  },
  actors: {
    authorize: notProvided<HostResult, { amountMinor: number }>('authorize'),
    dispense: notProvided<DispenseOutput, { amountMinor: number }>('dispense'),
    present: notProvided<void>('present'),
    waitCashTaken: notProvided<void>('waitCashTaken'),
    retractCash: notProvided<void>('retractCash'),
    rejectCash: notProvided<void>('rejectCash'),
    queueReversal: notProvided<void, { reason: string; dispensedMinor: number }>('queueReversal'),
    printReceipt: notProvided<void, { amountMinor: number }>('printReceipt'),
  },
  actions: {
    ...transactionActions<WithdrawalContext, WithdrawalEvent>(),
  },
  guards: {
    isFastCash: ({ context, event }) =>
      event.type === 'ui.optionSelected' && context.fastCashMinor.some((a) => fastCashOption(a) === event.option),
    wantsOtherAmount: ({ event }) => event.type === 'ui.optionSelected' && event.option === 'amount.other',
    validAmount: ({ context, event }) =>
      event.type === 'ui.amountEntered' &&
      event.amountMinor % context.noteMultipleMinor === 0 &&
      event.amountMinor <= context.maxAmountMinor,
    fixedAmount: ({ context }) => context.fixedAmountMinor !== undefined,
    receiptsAvailable: ({ context }) => context.receiptsAvailable,
    approved: hostApproved,
    lowerAmount: ({ event }) => hostOutput(event)?.action === 'lowerAmount',
    refused: hostRefused,
    fullyDispensed: ({ context, event }) => outputOf<DispenseOutput>(event)?.amountMinor === context.amountMinor,
    wantReceipt: ({ context }) => context.wantReceipt,
    ...receiptGuards,
  },
  delays: {
    takeCash: ({ context }) => context.takeCashMs,
    notice: ({ context }) => context.noticeMs,
  },
}).createMachine({
  id: 'withdrawal',
  context: ({ input }) => ({
    ...input,
    amountMinor: input.fixedAmountMinor ?? 0,
    wantReceipt: false,
    dispensedMinor: 0,
  }),
  initial: 'start',
  states: {
    start: {
      always: [{ guard: 'fixedAmount', target: 'confirming' }, { target: 'choosingAmount' }],
    },
    choosingAmount: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': [
          {
            guard: 'isFastCash',
            target: 'afterAmount',
            actions: assign({
              amountMinor: ({ event }) => Number(event.option.slice('amount.'.length)),
              message: undefined,
            }),
          },
          { guard: 'wantsOtherAmount', target: 'enteringAmount' },
        ],
        'ui.cancelPressed': 'canceled',
      },
    },
    enteringAmount: {
      entry: 'armWatchdog',
      on: {
        'ui.amountEntered': [
          {
            guard: 'validAmount',
            target: 'afterAmount',
            actions: assign({ amountMinor: ({ event }) => event.amountMinor, message: undefined }),
          },
          { actions: assign({ message: 'withdrawal.invalidAmount' }) },
        ],
        'ui.cancelPressed': 'choosingAmount',
      },
    },
    afterAmount: {
      always: [{ guard: 'receiptsAvailable', target: 'askingReceipt' }, { target: 'confirming' }],
    },
    askingReceipt: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': [
          { guard: 'choseReceipt', target: 'confirming', actions: assign({ wantReceipt: true }) },
          { guard: 'declinedReceipt', target: 'confirming', actions: assign({ wantReceipt: false }) },
        ],
        'ui.cancelPressed': 'canceled',
      },
    },
    confirming: {
      entry: 'armWatchdog',
      on: {
        'ui.confirmed': 'authorizing',
        'ui.cancelPressed': 'canceled',
      },
    },
    authorizing: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'authorize',
        src: 'authorize',
        input: ({ context }) => ({ amountMinor: context.amountMinor }),
        onDone: [
          { guard: 'approved', target: 'dispensing', actions: assign({ approval: ({ event }) => event.output }) },
          {
            guard: 'lowerAmount',
            target: 'choosingAmount',
            actions: assign({
              maxAmountMinor: ({ context, event }) =>
                Math.min(context.maxAmountMinor, event.output.maxAmountMinor ?? 0),
              message: 'withdrawal.lowerAmount',
            }),
          },
          { guard: 'refused', target: 'refusedNotice', actions: 'explainRefusal' },
          { target: 'handedToSession', actions: 'takeSessionOutcome' },
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    dispensing: {
      invoke: {
        id: 'dispense',
        src: 'dispense',
        input: ({ context }) => ({ amountMinor: context.amountMinor }),
        onDone: [
          { guard: 'fullyDispensed', target: 'presenting' },
          { target: 'rejecting', actions: assign({ message: 'error.dispenseFailed' }) },
        ],
        onError: { target: 'rejecting', actions: assign({ message: 'error.dispenseFailed' }) },
      },
    },
    presenting: {
      invoke: {
        id: 'present',
        src: 'present',
        onDone: 'awaitingCashTaken',
        onError: { target: 'retracting', actions: assign({ message: 'error.presentFailed' }) },
      },
    },
    awaitingCashTaken: {
      invoke: {
        id: 'waitCashTaken',
        src: 'waitCashTaken',
        onDone: {
          target: 'afterCashTaken',
          actions: assign({ dispensedMinor: ({ context }) => context.amountMinor }),
        },
      },
      after: { takeCash: { target: 'retracting', actions: assign({ message: 'withdrawal.cashRetracted' }) } },
    },
    afterCashTaken: {
      always: [{ guard: 'wantReceipt', target: 'printingReceipt' }, { target: 'completed' }],
    },
    printingReceipt: {
      invoke: {
        id: 'printReceipt',
        src: 'printReceipt',
        input: ({ context }) => ({ amountMinor: context.dispensedMinor }),
        onDone: 'completed',
        onError: { target: 'completed', actions: { type: 'setMessage', params: { message: 'error.receiptFailed' } } },
      },
    },
    rejecting: {
      // Notes stuck in the stacker go to the reject bin; the customer gets none of them.
      invoke: { id: 'rejectCash', src: 'rejectCash', onDone: 'reversing', onError: 'reversing' },
    },
    retracting: {
      invoke: { id: 'retractCash', src: 'retractCash', onDone: 'reversing', onError: 'reversing' },
    },
    reversing: {
      invoke: {
        id: 'queueReversal',
        src: 'queueReversal',
        input: ({ context }) => ({
          reason: context.message ?? 'error.dispenseFailed',
          dispensedMinor: context.dispensedMinor,
        }),
        onDone: 'failedNotice',
        onError: 'failedNotice',
      },
    },
    ...endingStates,
    canceled: endsAs('canceled'),
  },
  output: ({ context }) => ({ ...resultOf('withdrawal', context), amountMinor: context.dispensedMinor }),
});
