import { and, assign, setup } from 'xstate';
import type { ClassifiedNote, InputRefuseReason, NoteClassification } from '../../drivers/cash-acceptor/contract.js';
import type { HostResult, TransactionOutcome, TransactionResult } from '../session/types.js';
import {
  endingStates,
  endsAs,
  hostGuards,
  notProvided,
  outputOf,
  receiptGuards,
  refusalReason,
  resultOf,
  transactionActions,
  type EndingContext,
} from './common.js';

export interface DepositInput {
  readonly currency: string;
  readonly receiptsAvailable: boolean;
  /** Cash already deposited in this session, minor units: the large-cash rule counts the whole session. */
  readonly sessionDepositedMinor: number;
  readonly largeCashMinor: number;
  /** Escrow capacity in notes; "add more" is offered while the escrow has room. */
  readonly maxNotes?: number;
  readonly noticeMs: number;
  /** How long returned notes wait at the slot before they are retracted. */
  readonly takeNotesMs: number;
}

/**
 * Where the customer's creditable notes ended up. Counterfeit, suspect and
 * stained notes are not among them: the acceptor retains those whatever happens.
 */
export type NotesOutcome = 'none' | 'inEscrow' | 'committed' | 'returned' | 'retracted' | 'stuck';

export interface DepositContext extends DepositInput, EndingContext {
  /** Every note validated into escrow in this deposit, with its level. */
  readonly escrow: readonly ClassifiedNote[];
  /** Notes of the last bunch handed back at the slot and not yet taken. */
  readonly refusedPending: number;
  readonly refuseReason?: InputRefuseReason;
  /** What the bank credits for the escrow: fit and unfit notes only. */
  readonly amountMinor: number;
  readonly approval?: HostResult;
  /** What the acceptor reported credited when it committed the escrow. */
  readonly committedMinor: number;
  /** Notes the rollback presented at the slot. */
  readonly returnedNotes: number;
  readonly notes: NotesOutcome;
  readonly reversed: boolean;
  readonly customerGone: boolean;
}

/** One bunch the acceptor counted: the notes it took into escrow and those it handed back. */
export interface CashInOutput {
  readonly notes: readonly ClassifiedNote[];
  readonly refused: number;
  readonly refuseReason?: InputRefuseReason;
}

export interface CashInEndOutput {
  readonly creditedMinor: number;
}

export interface CashInRollbackOutput {
  /** Notes presented at the slot; 0 when the escrow held nothing returnable. */
  readonly returnedNotes: number;
}

/** Why notes at the slot are retracted: refused notes, or a returned deposit, left there too long. */
export type RetractReason = 'refusedNotTaken' | 'returnNotTaken';

export type DepositEvent =
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' }
  | { type: 'watchdog.expired' };

/** Levels the acceptor retains and the kiosk never credits or returns (XFS4IoT L2/L3; IBNS-stained). */
export const RETAINED_LEVELS: readonly NoteClassification[] = ['counterfeit', 'suspect', 'inked'];
/** Levels the bank credits at once (XFS4IoT L4). */
export const CREDITED_LEVELS: readonly NoteClassification[] = ['fit', 'unfit'];

export const isRetained = (note: ClassifiedNote): boolean => RETAINED_LEVELS.includes(note.classification);
export const creditOf = (notes: readonly ClassifiedNote[]): number =>
  notes.filter((n) => CREDITED_LEVELS.includes(n.classification)).reduce((sum, n) => sum + n.value, 0);

/** While notes may be in escrow, Cancel or a customer who has gone sends them back. */
const customerLeaves = {
  'ui.cancelPressed': { target: 'rollingBack', actions: { type: 'endAs', params: { outcome: 'canceled' } } },
  'watchdog.expired': {
    target: 'rollingBack',
    actions: ['customerGone', { type: 'endAs', params: { outcome: 'canceled' } }],
  },
} as const;

/**
 * Cash deposit with escrow (XFS4IoT cash-in): open → insert and count
 * (repeatable) → confirm → host authorisation of the credited amount → commit
 * → receipt. Counterfeit and suspect notes are retained and never credited;
 * notes the customer does not deposit go back through a rollback, and are
 * retracted when not taken. An approval that did not end in a commit queues a
 * reversal. The session forwards its watchdog's expiry here, so a deposit that
 * holds notes always settles them before it ends.
 */
export const depositMachine = setup({
  types: {
    context: {} as DepositContext,
    input: {} as DepositInput,
    events: {} as DepositEvent,
    output: {} as TransactionResult,
  },
  actors: {
    cashInStart: notProvided<void, { currency: string }>('cashInStart'),
    cashIn: notProvided<CashInOutput>('cashIn'),
    authorize: notProvided<HostResult, { amountMinor: number }>('authorize'),
    cashInEnd: notProvided<CashInEndOutput>('cashInEnd'),
    cashInRollback: notProvided<CashInRollbackOutput>('cashInRollback'),
    waitNotesTaken: notProvided<void>('waitNotesTaken'),
    retractNotes: notProvided<void, { reason: RetractReason }>('retractNotes'),
    queueReversal: notProvided<void, { reason: string; committedMinor: number }>('queueReversal'),
    printReceipt: notProvided<void, { amountMinor: number; retainedNotes: number }>('printReceipt'),
  },
  actions: {
    ...transactionActions<DepositContext, DepositEvent>(),
    customerGone: assign({ customerGone: true }),
    /** Decides how the deposit ends once the notes are settled (returned, retracted or stuck). */
    endAs: assign((_, params: { outcome: TransactionOutcome; message?: string }) => ({
      outcome: params.outcome,
      ...(params.message === undefined ? {} : { message: params.message }),
    })),
  },
  guards: {
    refusedPending: ({ context }) => context.refusedPending > 0,
    escrowEmpty: ({ context }) => context.escrow.length === 0,
    hasRoom: ({ context }) => context.maxNotes === undefined || context.escrow.length < context.maxNotes,
    hasCredit: ({ context }) => context.amountMinor > 0,
    largeCash: ({ context }) => context.sessionDepositedMinor + context.amountMinor >= context.largeCashMinor,
    ...hostGuards,
    committedAsApproved: ({ context, event }) =>
      outputOf<CashInEndOutput>(event)?.creditedMinor === context.amountMinor,
    returnedSome: ({ event }) => (outputOf<CashInRollbackOutput>(event)?.returnedNotes ?? 0) > 0,
    owesReversal: ({ context }) => context.approval !== undefined && !context.reversed,
    sessionDecides: ({ context }) => context.outcome === 'wrongPin' || context.outcome === 'captureCard',
    declined: ({ context }) => context.outcome === 'declined',
    failed: ({ context }) => context.outcome === 'failed',
    offerReceipt: ({ context }) => context.receiptsAvailable && !context.customerGone,
    ...receiptGuards,
    choseMore: ({ event }) => event.type === 'ui.optionSelected' && event.option === 'deposit.more',
  },
  delays: {
    takeNotes: ({ context }) => context.takeNotesMs,
    notice: ({ context }) => context.noticeMs,
  },
}).createMachine({
  id: 'deposit',
  context: ({ input }) => ({
    ...input,
    escrow: [],
    refusedPending: 0,
    amountMinor: 0,
    committedMinor: 0,
    returnedNotes: 0,
    notes: 'none',
    reversed: false,
    customerGone: false,
  }),
  initial: 'starting',
  // The expiry may arrive while the kiosk is busy with the notes: remember it and end the session afterwards.
  on: { 'watchdog.expired': { actions: 'customerGone' } },
  states: {
    starting: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'cashInStart',
        src: 'cashInStart',
        input: ({ context }) => ({ currency: context.currency }),
        onDone: 'inserting',
        onError: {
          target: 'failedNotice',
          actions: assign({ message: 'error.depositUnavailable', outcome: 'failed' }),
        },
      },
    },
    inserting: {
      entry: 'armWatchdog',
      invoke: {
        id: 'cashIn',
        src: 'cashIn',
        onDone: {
          target: 'afterInsert',
          actions: assign(({ context, event }) => {
            const escrow = [...context.escrow, ...event.output.notes];
            const refused = event.output.refused > 0;
            return {
              escrow,
              amountMinor: creditOf(escrow),
              notes: escrow.some((n) => !isRetained(n)) ? ('inEscrow' as const) : context.notes,
              refusedPending: event.output.refused,
              ...(event.output.refuseReason === undefined ? {} : { refuseReason: event.output.refuseReason }),
              // Retained notes matter most: the customer must know the kiosk kept them.
              message: escrow.some(isRetained)
                ? 'deposit.suspectRetained'
                : refused
                  ? 'deposit.notesRejected'
                  : undefined,
            };
          }),
        },
        // A fault while counting may leave notes in escrow: hand back whatever the device holds.
        onError: {
          target: 'rollingBack',
          actions: { type: 'endAs', params: { outcome: 'failed', message: 'error.depositFailed' } },
        },
      },
      on: {
        // Leaving aborts the count; the rollback returns all the device holds, notes counted after the abort too.
        ...customerLeaves,
      },
    },
    afterInsert: {
      always: [
        { guard: 'refusedPending', target: 'awaitingRefusedTaken' },
        { guard: 'escrowEmpty', target: 'inserting' },
        { target: 'counted' },
      ],
    },
    awaitingRefusedTaken: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'waitNotesTaken',
        src: 'waitNotesTaken',
        onDone: { target: 'afterInsert', actions: assign({ refusedPending: 0 }) },
      },
      after: { takeNotes: 'retractingRefused' },
    },
    retractingRefused: {
      // A customer who leaves refused notes has gone: the deposit is rolled back as well.
      invoke: {
        id: 'retractNotes',
        src: 'retractNotes',
        input: { reason: 'refusedNotTaken' as const },
        onDone: {
          target: 'rollingBack',
          actions: [
            'customerGone',
            assign({ refusedPending: 0 }),
            { type: 'endAs', params: { outcome: 'canceled', message: 'deposit.refusedRetracted' } },
          ],
        },
        onError: {
          target: 'rollingBack',
          actions: ['customerGone', { type: 'endAs', params: { outcome: 'failed', message: 'error.depositStuck' } }],
        },
      },
    },
    counted: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': { guard: and(['choseMore', 'hasRoom']), target: 'inserting' },
        'ui.confirmed': { guard: 'hasCredit', target: 'afterCount' },
        ...customerLeaves,
      },
    },
    afterCount: {
      always: [{ guard: 'largeCash', target: 'confirmingLargeCash' }, { target: 'authorizing' }],
    },
    confirmingLargeCash: {
      entry: 'armWatchdog',
      on: {
        'ui.confirmed': 'authorizing',
        ...customerLeaves,
      },
    },
    authorizing: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'authorize',
        src: 'authorize',
        input: ({ context }) => ({ amountMinor: context.amountMinor }),
        onDone: [
          { guard: 'approved', target: 'committing', actions: assign({ approval: ({ event }) => event.output }) },
          { guard: 'handsToSession', target: 'rollingBack', actions: 'takeSessionOutcome' },
          // A refusal, or a lower amount the kiosk cannot credit: the counted notes go back.
          {
            target: 'rollingBack',
            actions: assign({ outcome: 'declined', message: ({ event }) => refusalReason(event.output) }),
          },
        ],
        onError: {
          target: 'rollingBack',
          actions: { type: 'endAs', params: { outcome: 'failed', message: 'error.hostUnavailable' } },
        },
      },
    },
    committing: {
      invoke: {
        id: 'cashInEnd',
        src: 'cashInEnd',
        onDone: [
          {
            guard: 'committedAsApproved',
            target: 'afterCommit',
            actions: assign({ notes: 'committed', committedMinor: ({ event }) => event.output.creditedMinor }),
          },
          // The acceptor stored other notes than the host credited: undo the credit; the branch reconciles.
          {
            target: 'reversing',
            actions: assign({
              notes: 'committed',
              committedMinor: ({ event }) => event.output.creditedMinor,
              outcome: 'failed',
              message: 'error.depositMismatch',
            }),
          },
        ],
        // Nothing moved (XFS4IoT cashInEnd fails whole): the notes go back and the credit is reversed.
        onError: {
          target: 'rollingBack',
          actions: { type: 'endAs', params: { outcome: 'failed', message: 'error.depositFailed' } },
        },
      },
    },
    afterCommit: {
      always: [{ guard: 'offerReceipt', target: 'askingReceipt' }, { target: 'completed' }],
    },
    askingReceipt: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': [
          { guard: 'choseReceipt', target: 'printingReceipt' },
          { guard: 'declinedReceipt', target: 'completed' },
        ],
        'ui.cancelPressed': 'completed',
        'watchdog.expired': { target: 'completed', actions: 'customerGone' },
      },
    },
    printingReceipt: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'printReceipt',
        src: 'printReceipt',
        input: ({ context }) => ({
          amountMinor: context.committedMinor,
          retainedNotes: context.escrow.filter(isRetained).length,
        }),
        onDone: 'completed',
        onError: { target: 'completed', actions: { type: 'setMessage', params: { message: 'error.receiptFailed' } } },
      },
    },
    rollingBack: {
      entry: 'disarmWatchdog',
      invoke: {
        id: 'cashInRollback',
        src: 'cashInRollback',
        onDone: [
          {
            guard: 'returnedSome',
            target: 'awaitingReturnTaken',
            actions: assign({ returnedNotes: ({ event }) => event.output.returnedNotes }),
          },
          // Nothing came back: fine if the escrow held only retained notes, a fault if it held the customer's.
          {
            target: 'afterReturn',
            actions: assign({
              notes: ({ context }) => (context.notes === 'inEscrow' ? 'stuck' : context.notes),
              message: ({ context }) => (context.notes === 'inEscrow' ? 'error.depositStuck' : context.message),
            }),
          },
        ],
        onError: {
          target: 'afterReturn',
          actions: assign({
            notes: ({ context }) => (context.notes === 'inEscrow' ? 'stuck' : context.notes),
            message: 'error.depositStuck',
          }),
        },
      },
    },
    awaitingReturnTaken: {
      invoke: {
        id: 'waitNotesTaken',
        src: 'waitNotesTaken',
        onDone: { target: 'afterReturn', actions: assign({ notes: 'returned' }) },
      },
      after: { takeNotes: 'retracting' },
    },
    retracting: {
      invoke: {
        id: 'retractNotes',
        src: 'retractNotes',
        input: { reason: 'returnNotTaken' as const },
        onDone: {
          target: 'afterReturn',
          actions: ['customerGone', assign({ notes: 'retracted', message: 'deposit.notesRetracted' })],
        },
        onError: {
          target: 'afterReturn',
          actions: ['customerGone', assign({ notes: 'stuck', message: 'error.depositStuck' })],
        },
      },
    },
    afterReturn: {
      always: [
        { guard: 'owesReversal', target: 'reversing' },
        { guard: 'sessionDecides', target: 'handedToSession' },
        { guard: 'declined', target: 'refusedNotice' },
        { guard: 'failed', target: 'failedNotice' },
        { target: 'canceled' },
      ],
    },
    reversing: {
      invoke: {
        id: 'queueReversal',
        src: 'queueReversal',
        input: ({ context }) => ({
          reason: context.message ?? 'error.depositFailed',
          committedMinor: context.notes === 'committed' ? context.committedMinor : 0,
        }),
        onDone: { target: 'failedNotice', actions: assign({ reversed: true, outcome: 'failed' }) },
        onError: { target: 'failedNotice', actions: assign({ reversed: true, outcome: 'failed' }) },
      },
    },
    ...endingStates,
    canceled: endsAs('canceled'),
  },
  output: ({ context }) => ({
    ...resultOf('deposit', context),
    amountMinor: context.outcome === 'completed' ? context.committedMinor : 0,
    ...(context.customerGone ? { customerGone: true } : {}),
  }),
});
