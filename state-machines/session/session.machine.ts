import { and, assign, forwardTo, raise, setup } from 'xstate';
import { withdrawalMachine } from '../transactions/withdrawal.machine.js';
import { balanceMachine } from '../transactions/balance.machine.js';
import { depositMachine } from '../transactions/deposit.machine.js';
import { transferMachine } from '../transactions/transfer.machine.js';
import { pinChangeMachine } from '../transactions/pin-change.machine.js';
import { miniStatementMachine } from '../transactions/mini-statement.machine.js';
import { notProvided } from '../transactions/common.js';
import {
  DEFAULT_MAX_TRANSFER_MINOR,
  DEFAULT_TIMEOUTS,
  LARGE_CASH_MINOR,
  timeoutFor,
  type Identity,
  type Language,
  type SessionLimits,
  type SessionServices,
  type SessionTimeouts,
  type TransactionKind,
  type TransactionResult,
} from './types.js';

export interface SessionInput {
  readonly sessionId: string;
  readonly trigger: 'card' | 'appointment';
  /** The appointment code scanned or typed, for a cardless session. */
  readonly appointmentCode?: string;
  readonly language: Language;
  readonly elderly: boolean;
  readonly services: SessionServices;
  readonly limits: SessionLimits;
  readonly timeouts?: SessionTimeouts;
  readonly maxPinTries?: number;
}

/** Where the customer's card ended up; `none` for a cardless session. */
export type CardOutcome = 'none' | 'inside' | 'returned' | 'captured' | 'stuck';

export interface SessionContext {
  readonly sessionId: string;
  readonly trigger: SessionInput['trigger'];
  readonly appointmentCode?: string;
  readonly language: Language;
  readonly elderly: boolean;
  readonly services: SessionServices;
  readonly limits: SessionLimits;
  readonly timeouts: SessionTimeouts;
  readonly maxPinTries: number;
  readonly identity?: Identity;
  readonly pinTries: number;
  readonly pinDigits: number;
  readonly selected?: TransactionKind;
  readonly results: readonly TransactionResult[];
  readonly cardOutcome: CardOutcome;
  /** Catalogue key of the message the current screen shows, if any. */
  readonly message?: string;
}

export interface SessionOutput {
  readonly sessionId: string;
  readonly cardOutcome: CardOutcome;
  readonly results: readonly TransactionResult[];
}

export type SessionEvent =
  | { type: 'ui.languageSelected'; language: Language }
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.amountEntered'; amountMinor: number }
  | { type: 'ui.textEntered'; field: string; text: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' }
  | { type: 'ui.moreTimeRequested' }
  | { type: 'pinpad.digitPressed'; digits: number }
  | { type: 'watchdog.arm' }
  | { type: 'watchdog.disarm' }
  | { type: 'watchdog.expired' };

export interface PinEntryOutput {
  readonly completion: 'enter' | 'cancel' | 'timeout';
  readonly digits: number;
}

export const MENU_OPTIONS: Record<TransactionKind, string> = {
  withdrawal: 'menu.withdrawal',
  deposit: 'menu.deposit',
  transfer: 'menu.transfer',
  balance: 'menu.balance',
  miniStatement: 'menu.miniStatement',
  pinChange: 'menu.pinChange',
};

/** The menu options a session offers: only services available when it started. */
export function menuOptions(context: Pick<SessionContext, 'services' | 'identity'>): string[] {
  if (context.identity?.kind === 'appointment') return [MENU_OPTIONS.withdrawal];
  const { services } = context;
  const kinds: TransactionKind[] = [];
  if (services.withdrawal) kinds.push('withdrawal');
  if (services.deposit) kinds.push('deposit');
  if (services.transfer) kinds.push('transfer');
  if (services.balance) kinds.push('balance', 'pinChange');
  if (services.balance && services.receipts) kinds.push('miniStatement');
  return kinds.map((k) => MENU_OPTIONS[k]);
}

type Outcome = { output?: TransactionResult };

/** Hours a transfer to someone else waits before the host executes it (银发〔2016〕261号 §8). */
export const TRANSFER_DELAY_HOURS = 24;

/** Every transaction hands its result back to the session the same way. */
const backToSession = {
  onDone: { target: '#session.active.flow.customer.afterTransaction', actions: 'recordResult' },
  onError: { target: '#session.active.flow.customer.afterTransaction', actions: 'recordFailure' },
} as const;

/** Transactions that hold notes or a made transfer settle their own end when the customer has gone. */
const settlesOwnEnd = { 'watchdog.expired': { actions: 'forwardToTransaction' } } as const;

/** Cash the customer deposited earlier in this session, for the large-cash rule. */
const depositedMinor = (results: readonly TransactionResult[]): number =>
  results
    .filter((r) => r.kind === 'deposit' && r.outcome === 'completed')
    .reduce((sum, r) => sum + (r.amountMinor ?? 0), 0);

/**
 * One customer session, from card (or appointment code) to card returned or
 * captured. Every effect is a named actor the runtime provides. A parallel
 * watchdog region times every customer wait, asks "need more time?", and ends
 * the session when the customer has gone; the card is then returned and, if
 * not taken, captured.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    input: {} as SessionInput,
    events: {} as SessionEvent,
    output: {} as SessionOutput,
  },
  actors: {
    readCard: notProvided<Extract<Identity, { kind: 'card' }>>('readCard'),
    verifyAppointment: notProvided<Extract<Identity, { kind: 'appointment' }>, { code: string }>('verifyAppointment'),
    enterPin: notProvided<PinEntryOutput>('enterPin'),
    ejectCard: notProvided<void>('ejectCard'),
    waitCardTaken: notProvided<void>('waitCardTaken'),
    captureCard: notProvided<void>('captureCard'),
    withdrawal: withdrawalMachine,
    balance: balanceMachine,
    deposit: depositMachine,
    transfer: transferMachine,
    pinChange: pinChangeMachine,
    miniStatement: miniStatementMachine,
  },
  actions: {
    forwardToTransaction: forwardTo('transaction'),
    arm: raise({ type: 'watchdog.arm' }),
    disarm: raise({ type: 'watchdog.disarm' }),
    expire: raise({ type: 'watchdog.expired' }),
    recordResult: assign({
      results: ({ context, event }) => {
        const output = (event as Outcome).output;
        return output ? [...context.results, output] : context.results;
      },
    }),
    recordFailure: assign({
      results: ({ context }) => [
        ...context.results,
        { kind: context.selected ?? 'withdrawal', outcome: 'failed' as const, reason: 'error.internal' },
      ],
    }),
  },
  guards: {
    cardTrigger: ({ context }) => context.trigger === 'card',
    hasCard: ({ context }) => context.cardOutcome === 'inside',
    pinEntered: ({ event }) => {
      const output = (event as { output?: PinEntryOutput }).output;
      return output?.completion === 'enter' && output.digits >= 4;
    },
    choseService: ({ context, event }, params: { kind: TransactionKind }) =>
      event.type === 'ui.optionSelected' &&
      event.option === MENU_OPTIONS[params.kind] &&
      menuOptions(context).includes(event.option),
    wrongPin: ({ context }) => context.results.at(-1)?.outcome === 'wrongPin',
    pinTriesExhausted: ({ context }) => context.pinTries >= context.maxPinTries,
    mustCapture: ({ context }) => context.results.at(-1)?.outcome === 'captureCard',
    customerGone: ({ context }) => context.results.at(-1)?.customerGone === true,
    cardless: ({ context }) => context.identity?.kind === 'appointment',
    choseMore: ({ event }) => event.type === 'ui.optionSelected' && event.option === 'another.yes',
    choseDone: ({ event }) => event.type === 'ui.optionSelected' && event.option === 'another.no',
  },
  delays: {
    customer: ({ context }) => timeoutFor(context.timeouts.customerMs, context.elderly, context.timeouts),
    moreTimePrompt: ({ context }) => timeoutFor(context.timeouts.moreTimePromptMs, context.elderly, context.timeouts),
    takeCard: ({ context }) => timeoutFor(context.timeouts.takeCardMs, context.elderly, context.timeouts),
    notice: ({ context }) => context.timeouts.noticeMs,
  },
}).createMachine({
  id: 'session',
  initial: 'active',
  context: ({ input }) => ({
    sessionId: input.sessionId,
    trigger: input.trigger,
    ...(input.appointmentCode === undefined ? {} : { appointmentCode: input.appointmentCode }),
    language: input.language,
    elderly: input.elderly,
    services: input.services,
    limits: input.limits,
    timeouts: input.timeouts ?? DEFAULT_TIMEOUTS,
    maxPinTries: input.maxPinTries ?? 3,
    pinTries: 0,
    pinDigits: 0,
    results: [],
    cardOutcome: 'none',
  }),
  states: {
    active: {
      type: 'parallel',
      states: {
        flow: {
          initial: 'start',
          states: {
            start: {
              always: [{ guard: 'cardTrigger', target: 'readingCard' }, { target: 'verifyingAppointment' }],
            },
            readingCard: {
              invoke: {
                id: 'readCard',
                src: 'readCard',
                onDone: {
                  target: 'customer',
                  actions: assign({ identity: ({ event }) => event.output, cardOutcome: 'inside' }),
                },
                onError: {
                  target: '#session.active.flow.returningCard',
                  actions: assign({ cardOutcome: 'inside', message: 'error.cardUnreadable' }),
                },
              },
            },
            verifyingAppointment: {
              invoke: {
                id: 'verifyAppointment',
                src: 'verifyAppointment',
                input: ({ context }) => ({ code: context.appointmentCode ?? '' }),
                onDone: { target: 'customer', actions: assign({ identity: ({ event }) => event.output }) },
                onError: {
                  target: '#session.active.flow.appointmentRefused',
                  actions: assign({ message: 'error.appointmentInvalid' }),
                },
              },
            },
            // A refused code (unknown, used, lapsed) must be seen, not just bounce back to the welcome screen.
            appointmentRefused: {
              on: { 'ui.confirmed': '#session.ended' },
              after: { notice: '#session.ended' },
            },
            customer: {
              initial: 'language',
              on: {
                'watchdog.expired': '#session.active.flow.finishing',
              },
              states: {
                language: {
                  entry: 'arm',
                  on: {
                    'ui.languageSelected': {
                      target: 'pin',
                      actions: assign({ language: ({ event }) => event.language }),
                    },
                    'ui.cancelPressed': '#session.active.flow.finishing',
                  },
                },
                pin: {
                  entry: ['arm', assign({ pinDigits: 0 })],
                  invoke: {
                    id: 'enterPin',
                    src: 'enterPin',
                    onDone: [
                      { guard: 'pinEntered', target: 'menu', actions: assign({ pinDigits: 0 }) },
                      { target: '#session.active.flow.finishing' },
                    ],
                    onError: {
                      target: '#session.active.flow.finishing',
                      actions: assign({ message: 'error.pinPadFailed' }),
                    },
                  },
                  on: {
                    'pinpad.digitPressed': { actions: ['arm', assign({ pinDigits: ({ event }) => event.digits })] },
                  },
                },
                menu: {
                  entry: 'arm',
                  always: { guard: 'cardless', target: 'transaction.withdrawal' },
                  on: {
                    'ui.optionSelected': [
                      {
                        guard: { type: 'choseService', params: { kind: 'withdrawal' } },
                        target: 'transaction.withdrawal',
                      },
                      { guard: { type: 'choseService', params: { kind: 'balance' } }, target: 'transaction.balance' },
                      { guard: { type: 'choseService', params: { kind: 'deposit' } }, target: 'transaction.deposit' },
                      { guard: { type: 'choseService', params: { kind: 'transfer' } }, target: 'transaction.transfer' },
                      {
                        guard: { type: 'choseService', params: { kind: 'pinChange' } },
                        target: 'transaction.pinChange',
                      },
                      {
                        guard: { type: 'choseService', params: { kind: 'miniStatement' } },
                        target: 'transaction.miniStatement',
                      },
                    ],
                    'ui.cancelPressed': '#session.active.flow.finishing',
                  },
                },
                transaction: {
                  initial: 'withdrawal',
                  on: {
                    'ui.*': { actions: 'forwardToTransaction' },
                    // PIN-pad key counts, for the dots of a PIN change.
                    'pinpad.*': { actions: 'forwardToTransaction' },
                  },
                  states: {
                    withdrawal: {
                      entry: assign({ selected: 'withdrawal' }),
                      invoke: {
                        id: 'transaction',
                        src: 'withdrawal',
                        input: ({ context }) => ({
                          language: context.language,
                          currency: context.limits.currency,
                          maxAmountMinor: context.limits.maxWithdrawalMinor,
                          noteMultipleMinor: context.limits.noteMultipleMinor,
                          fastCashMinor: context.limits.fastCashMinor,
                          receiptsAvailable: context.services.receipts,
                          ...(context.identity?.kind === 'appointment'
                            ? { fixedAmountMinor: context.identity.amountMinor }
                            : {}),
                          noticeMs: context.timeouts.noticeMs,
                          takeCashMs: timeoutFor(context.timeouts.takeCashMs, context.elderly, context.timeouts),
                        }),
                        ...backToSession,
                      },
                    },
                    balance: {
                      entry: assign({ selected: 'balance' }),
                      invoke: {
                        id: 'transaction',
                        src: 'balance',
                        input: ({ context }) => ({
                          receiptsAvailable: context.services.receipts,
                          noticeMs: context.timeouts.noticeMs,
                        }),
                        ...backToSession,
                      },
                    },
                    deposit: {
                      entry: assign({ selected: 'deposit' }),
                      on: settlesOwnEnd,
                      invoke: {
                        id: 'transaction',
                        src: 'deposit',
                        input: ({ context }) => ({
                          currency: context.limits.currency,
                          receiptsAvailable: context.services.receipts,
                          sessionDepositedMinor: depositedMinor(context.results),
                          largeCashMinor: context.limits.largeCashMinor ?? LARGE_CASH_MINOR,
                          ...(context.limits.maxDepositNotes === undefined
                            ? {}
                            : { maxNotes: context.limits.maxDepositNotes }),
                          noticeMs: context.timeouts.noticeMs,
                          takeNotesMs: timeoutFor(context.timeouts.takeCashMs, context.elderly, context.timeouts),
                        }),
                        ...backToSession,
                      },
                    },
                    transfer: {
                      entry: assign({ selected: 'transfer' }),
                      on: settlesOwnEnd,
                      invoke: {
                        id: 'transaction',
                        src: 'transfer',
                        input: ({ context }) => ({
                          currency: context.limits.currency,
                          maxAmountMinor: context.limits.maxTransferMinor ?? DEFAULT_MAX_TRANSFER_MINOR,
                          receiptsAvailable: context.services.receipts,
                          creditDelayHours: TRANSFER_DELAY_HOURS,
                          noticeMs: context.timeouts.noticeMs,
                        }),
                        ...backToSession,
                      },
                    },
                    pinChange: {
                      entry: assign({ selected: 'pinChange' }),
                      invoke: {
                        id: 'transaction',
                        src: 'pinChange',
                        input: ({ context }) => ({ noticeMs: context.timeouts.noticeMs }),
                        ...backToSession,
                      },
                    },
                    miniStatement: {
                      entry: assign({ selected: 'miniStatement' }),
                      invoke: {
                        id: 'transaction',
                        src: 'miniStatement',
                        input: ({ context }) => ({
                          receiptsAvailable: context.services.receipts,
                          noticeMs: context.timeouts.noticeMs,
                        }),
                        ...backToSession,
                      },
                    },
                  },
                },
                afterTransaction: {
                  always: [
                    {
                      guard: and(['mustCapture', 'hasCard']),
                      target: '#session.active.flow.capturingCard',
                      actions: assign({ message: 'card.captured' }),
                    },
                    { guard: 'customerGone', target: '#session.active.flow.finishing' },
                    { guard: 'wrongPin', target: 'wrongPinNotice' },
                    { guard: 'cardless', target: '#session.active.flow.finishing' },
                    { target: 'anotherTransaction' },
                  ],
                },
                wrongPinNotice: {
                  entry: assign({ pinTries: ({ context }) => context.pinTries + 1, message: 'pin.wrong' }),
                  always: [
                    {
                      guard: and(['pinTriesExhausted', 'hasCard']),
                      target: '#session.active.flow.capturingCard',
                      actions: assign({ message: 'card.capturedPinTries' }),
                    },
                    { guard: 'pinTriesExhausted', target: '#session.active.flow.finishing' },
                  ],
                  on: { 'ui.confirmed': { target: 'pin', actions: assign({ message: undefined }) } },
                  after: { notice: { target: 'pin', actions: assign({ message: undefined }) } },
                },
                anotherTransaction: {
                  entry: 'arm',
                  on: {
                    'ui.optionSelected': [
                      { guard: 'choseMore', target: 'menu' },
                      { guard: 'choseDone', target: '#session.active.flow.finishing' },
                    ],
                    'ui.cancelPressed': '#session.active.flow.finishing',
                  },
                },
              },
            },
            finishing: {
              entry: 'disarm',
              always: [
                { guard: 'hasCard', target: '#session.active.flow.returningCard' },
                { target: '#session.ended' },
              ],
            },
            returningCard: {
              entry: 'disarm',
              invoke: {
                id: 'ejectCard',
                src: 'ejectCard',
                onDone: '#session.active.flow.awaitingCardTaken',
                onError: '#session.active.flow.capturingCard',
              },
            },
            awaitingCardTaken: {
              invoke: {
                id: 'waitCardTaken',
                src: 'waitCardTaken',
                onDone: { target: '#session.ended', actions: assign({ cardOutcome: 'returned' }) },
              },
              after: {
                takeCard: {
                  target: '#session.active.flow.capturingCard',
                  actions: assign({ message: 'card.capturedNotTaken' }),
                },
              },
            },
            capturingCard: {
              entry: 'disarm',
              invoke: {
                id: 'captureCard',
                src: 'captureCard',
                onDone: { target: '#session.active.flow.cardKeptNotice', actions: assign({ cardOutcome: 'captured' }) },
                onError: {
                  target: '#session.active.flow.cardKeptNotice',
                  actions: assign({ cardOutcome: 'stuck', message: 'error.cardStuck' }),
                },
              },
            },
            // The customer must learn the card was kept (and where to get it) before the next one's welcome.
            cardKeptNotice: {
              on: { 'ui.confirmed': '#session.ended' },
              after: { notice: '#session.ended' },
            },
          },
        },
        watchdog: {
          initial: 'idle',
          on: {
            'watchdog.disarm': '.idle',
            'watchdog.arm': '.counting',
          },
          states: {
            idle: {},
            counting: {
              on: { 'ui.*': { target: 'counting', reenter: true } },
              after: { customer: 'asking' },
            },
            asking: {
              on: {
                'ui.moreTimeRequested': 'counting',
                'ui.cancelPressed': { target: 'idle', actions: 'expire' },
              },
              after: { moreTimePrompt: { target: 'idle', actions: 'expire' } },
            },
          },
        },
      },
    },
    ended: { type: 'final' },
  },
  output: ({ context }) => ({
    sessionId: context.sessionId,
    cardOutcome: context.cardOutcome,
    results: context.results,
  }),
});
