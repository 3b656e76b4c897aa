import { and, assign, setup } from 'xstate';
import type { HostResult, TransactionResult, TransferMode } from '../session/types.js';
import {
  endingStates,
  endsAs,
  hostGuards,
  notProvided,
  outputOf,
  receiptGuards,
  refusedOrHandedToSession,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';

export interface TransferInput {
  readonly currency: string;
  readonly maxAmountMinor: number;
  readonly receiptsAvailable: boolean;
  /** Hours before a transfer to someone else is executed, and revocable until then (24). */
  readonly creditDelayHours: number;
  readonly noticeMs: number;
}

/** The host's answer to the transfer inquiry (0100): who the payee is, what it costs, how it would run. */
export interface TransferInquiryOutput extends HostResult {
  /** As the host masks it, e.g. "*小明"; without it the transfer cannot go on. */
  readonly payeeNameMasked?: string;
  readonly feeMinor?: number;
  /** `realTime` for the customer's own account at this bank, or when the bank offers it. Default `delayed`. */
  readonly mode?: TransferMode;
}

/** The host's answer to the transfer (0200). */
export interface TransferOutput extends HostResult {
  readonly mode?: TransferMode;
  /** Delayed transfers: when the host executes it. */
  readonly executeAtMs?: number;
  /** Quoted by a revocation. */
  readonly reference?: string;
  readonly revocable?: boolean;
}

export interface TransferReceipt {
  readonly payeeAccount: string;
  readonly payeeNameMasked: string;
  readonly amountMinor: number;
  readonly feeMinor: number;
  readonly mode: TransferMode;
  readonly executeAtMs?: number;
  readonly reference?: string;
  readonly revoked: boolean;
}

export interface TransferContext extends TransferInput, EndingContext {
  readonly payeeAccount: string;
  readonly amountMinor: number;
  readonly payeeNameMasked?: string;
  readonly feeMinor: number;
  readonly mode: TransferMode;
  /** The customer pressed the warning's own button. */
  readonly warningAcknowledged: boolean;
  /** The customer confirmed the confirmation screen that showed the masked payee name. */
  readonly nameConfirmed: boolean;
  readonly result?: TransferOutput;
  readonly revoked: boolean;
  /** The customer walked away: the session ends instead of offering another transaction. */
  readonly customerGone: boolean;
}

export type TransferEvent =
  | { type: 'ui.textEntered'; field: string; text: string }
  | { type: 'ui.amountEntered'; amountMinor: number }
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' }
  | { type: 'watchdog.expired' };

/** Bank account and card numbers: 12 to 19 digits. */
export const PAYEE_ACCOUNT = /^\d{12,19}$/;
export const FRAUD_WARNING_ACKNOWLEDGED = 'fraudWarning.acknowledged';
export const REVOKE_OPTION = 'transfer.revoke';

/** Before the money moves, a customer who has gone cancels the transfer. */
const goneBefore = { 'watchdog.expired': { target: 'canceled', actions: 'customerGone' } } as const;
/** After it moved, the transfer is finished and recorded all the same. */
const goneAfter = { 'watchdog.expired': { target: 'finished', actions: 'customerGone' } } as const;

/**
 * Transfer to another account: payee account → amount → host inquiry (masked
 * payee name, fee, mode) → anti-fraud warning, acknowledged by its own option
 * only → confirmation with the masked name, amount, fee and the 24-hour notice
 * (银发〔2016〕261号 §8; real time only to the customer's own account or when
 * the bank offers it for a confirmed name) → transfer → result, where a
 * delayed transfer can be revoked at once → receipt. The session forwards its
 * watchdog's expiry here, so a transfer made for a customer who then left is
 * still recorded.
 */
export const transferMachine = setup({
  types: {
    context: {} as TransferContext,
    input: {} as TransferInput,
    events: {} as TransferEvent,
    output: {} as TransactionResult,
  },
  actors: {
    inquire: notProvided<TransferInquiryOutput, { payeeAccount: string; amountMinor: number }>('inquire'),
    transfer: notProvided<TransferOutput, { payeeAccount: string; amountMinor: number; realTimeConfirmed: boolean }>(
      'transfer',
    ),
    revoke: notProvided<HostResult, { reference: string }>('revoke'),
    printReceipt: notProvided<void, TransferReceipt>('printReceipt'),
  },
  actions: {
    ...transactionActions<TransferContext, TransferEvent>(),
    customerGone: assign({ customerGone: true }),
  },
  guards: {
    validPayee: ({ event }) =>
      event.type === 'ui.textEntered' && event.field === 'payeeAccount' && PAYEE_ACCOUNT.test(event.text),
    payeeField: ({ event }) => event.type === 'ui.textEntered' && event.field === 'payeeAccount',
    validAmount: ({ context, event }) =>
      event.type === 'ui.amountEntered' &&
      Number.isInteger(event.amountMinor) &&
      event.amountMinor > 0 &&
      event.amountMinor <= context.maxAmountMinor,
    ...hostGuards,
    payeeNamed: ({ event }) => (outputOf<TransferInquiryOutput>(event)?.payeeNameMasked ?? '') !== '',
    acknowledged: ({ event }) => event.type === 'ui.optionSelected' && event.option === FRAUD_WARNING_ACKNOWLEDGED,
    // The regulation's two conditions, checked where the transfer is released, not only by the path there.
    readyToTransfer: ({ context }) => context.warningAcknowledged && (context.payeeNameMasked ?? '') !== '',
    choseRevoke: ({ event }) => event.type === 'ui.optionSelected' && event.option === REVOKE_OPTION,
    revocable: ({ context }) => context.result?.revocable === true && context.result.reference !== undefined,
    receiptsAvailable: ({ context }) => context.receiptsAvailable,
    ...receiptGuards,
    revoked: ({ context }) => context.revoked,
  },
  delays: { notice: ({ context }) => context.noticeMs },
}).createMachine({
  id: 'transfer',
  context: ({ input }) => ({
    ...input,
    payeeAccount: '',
    amountMinor: 0,
    feeMinor: 0,
    mode: 'delayed',
    warningAcknowledged: false,
    nameConfirmed: false,
    revoked: false,
    customerGone: false,
  }),
  initial: 'enteringPayee',
  states: {
    enteringPayee: {
      entry: 'armWatchdog',
      on: {
        ...goneBefore,
        'ui.textEntered': [
          {
            guard: 'validPayee',
            target: 'enteringAmount',
            actions: assign({ payeeAccount: ({ event }) => event.text, message: undefined }),
          },
          { guard: 'payeeField', actions: assign({ message: 'transfer.invalidAccount' }) },
        ],
        'ui.cancelPressed': 'canceled',
      },
    },
    enteringAmount: {
      entry: 'armWatchdog',
      on: {
        ...goneBefore,
        'ui.amountEntered': [
          {
            guard: 'validAmount',
            target: 'inquiring',
            actions: assign({ amountMinor: ({ event }) => event.amountMinor, message: undefined }),
          },
          { actions: assign({ message: 'transfer.invalidAmount' }) },
        ],
        'ui.cancelPressed': { target: 'enteringPayee', actions: assign({ message: undefined }) },
      },
    },
    inquiring: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'inquire',
        src: 'inquire',
        input: ({ context }) => ({ payeeAccount: context.payeeAccount, amountMinor: context.amountMinor }),
        onDone: [
          {
            guard: and(['approved', 'payeeNamed']),
            target: 'warning',
            actions: assign({
              payeeNameMasked: ({ event }) => event.output.payeeNameMasked,
              feeMinor: ({ event }) => event.output.feeMinor ?? 0,
              mode: ({ event }) => event.output.mode ?? 'delayed',
            }),
          },
          // Approved without a name: nobody to show, so nobody to pay.
          { guard: 'approved', target: 'refusedNotice', actions: assign({ message: 'transfer.payeeNotFound' }) },
          // A refusal, or a lower amount: the customer is told why.
          ...refusedOrHandedToSession,
        ],
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    warning: {
      entry: 'armWatchdog',
      on: {
        ...goneBefore,
        // Only the warning's own option goes on: a generic Confirm or Enter must not skip it.
        'ui.optionSelected': {
          guard: 'acknowledged',
          target: 'confirming',
          actions: assign({ warningAcknowledged: true }),
        },
        'ui.cancelPressed': 'canceled',
      },
    },
    confirming: {
      entry: 'armWatchdog',
      on: {
        ...goneBefore,
        'ui.confirmed': { guard: 'readyToTransfer', target: 'transferring', actions: assign({ nameConfirmed: true }) },
        'ui.cancelPressed': 'canceled',
      },
    },
    transferring: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'transfer',
        src: 'transfer',
        input: ({ context }) => ({
          payeeAccount: context.payeeAccount,
          amountMinor: context.amountMinor,
          // The customer saw and confirmed the masked name, so a real-time offer may be taken.
          realTimeConfirmed: context.mode === 'realTime' && context.nameConfirmed,
        }),
        onDone: [
          {
            guard: 'approved',
            target: 'result',
            actions: assign({
              result: ({ event }) => event.output,
              mode: ({ context, event }) => event.output.mode ?? context.mode,
            }),
          },
          ...refusedOrHandedToSession,
        ],
        // The host link owes its own reversal when the host may have acted (68); the customer is told to check.
        onError: { target: 'failedNotice', actions: assign({ message: 'error.hostUnavailable' }) },
      },
    },
    result: {
      entry: 'armWatchdog',
      on: {
        ...goneAfter,
        'ui.optionSelected': { guard: and(['choseRevoke', 'revocable']), target: 'revoking' },
        'ui.confirmed': 'afterResult',
        'ui.cancelPressed': 'afterResult',
      },
    },
    revoking: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'revoke',
        src: 'revoke',
        input: ({ context }) => ({ reference: context.result?.reference ?? '' }),
        onDone: [
          { guard: 'approved', target: 'afterResult', actions: assign({ revoked: true, message: 'transfer.revoked' }) },
          // The transfer stands; the customer may try again or revoke it at the counter or in the app.
          { target: 'result', actions: assign({ message: 'transfer.revokeFailed' }) },
        ],
        onError: { target: 'result', actions: assign({ message: 'transfer.revokeFailed' }) },
      },
    },
    afterResult: {
      always: [{ guard: 'receiptsAvailable', target: 'askingReceipt' }, { target: 'finished' }],
    },
    askingReceipt: {
      entry: 'armWatchdog',
      on: {
        ...goneAfter,
        'ui.optionSelected': [
          { guard: 'choseReceipt', target: 'printingReceipt' },
          { guard: 'declinedReceipt', target: 'finished' },
        ],
        'ui.cancelPressed': 'finished',
      },
    },
    printingReceipt: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'printReceipt',
        src: 'printReceipt',
        input: ({ context }) => ({
          payeeAccount: context.payeeAccount,
          payeeNameMasked: context.payeeNameMasked ?? '',
          amountMinor: context.amountMinor,
          feeMinor: context.feeMinor,
          mode: context.mode,
          ...(context.result?.executeAtMs === undefined ? {} : { executeAtMs: context.result.executeAtMs }),
          ...(context.result?.reference === undefined ? {} : { reference: context.result.reference }),
          revoked: context.revoked,
        }),
        onDone: 'finished',
        onError: { target: 'finished', actions: assign({ message: 'error.receiptFailed' }) },
      },
    },
    finished: {
      always: [{ guard: 'revoked', target: 'revokedDone' }, { target: 'completed' }],
    },
    ...endingStates,
    canceled: endsAs('canceled'),
    /** Made and revoked before the host executed it: no money moved. */
    revokedDone: endsAs('canceled'),
  },
  output: ({ context }) => ({
    ...resultOf('transfer', context),
    amountMinor: context.outcome === 'completed' ? context.amountMinor : 0,
    ...(context.customerGone ? { customerGone: true } : {}),
  }),
});
