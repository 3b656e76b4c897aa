import { assign, fromPromise, sendParent, type EventObject } from 'xstate';
import type { HostResult, TransactionKind, TransactionOutcome, TransactionResult } from '../session/types.js';

/**
 * Pieces every transaction machine shares. Transaction machines run as
 * children of the session machine; they ask the session's watchdog (events
 * below, sent with `sendParent`) to time the customer while they wait for
 * input, and to stand down while devices or the host work.
 */
const WATCHDOG_ARM = { type: 'watchdog.arm' } as const;
const WATCHDOG_DISARM = { type: 'watchdog.disarm' } as const;

/**
 * An actor the runtime must provide: the machine's own stands only for its
 * types, and fails loudly when a test or the runtime forgot it.
 */
export const notProvided = <TOutput, TInput = void>(name: string) =>
  fromPromise<TOutput, TInput>(() => {
    throw new Error(`${name} not provided`);
  });

/** Host actions that end the transaction as a refusal the customer is told about. */
export function isRefusal(result: HostResult): boolean {
  return ['decline', 'insufficientFunds', 'limitExceeded', 'outOfService'].includes(result.action);
}

/** The catalogue key that explains a refusal to the customer. */
export function refusalReason(result: HostResult): string {
  return `host.${result.action}`;
}

/** Host actions that end the transaction and hand the decision to the session. */
export function sessionOutcome(result: HostResult): TransactionOutcome | undefined {
  if (result.action === 'wrongPin') return 'wrongPin';
  if (result.action === 'captureCard' || result.action === 'pinTriesExceeded') return 'captureCard';
  return undefined;
}

/** The output an actor's done event carries, as the actor declares it. */
export const outputOf = <T>(event: unknown): T | undefined => (event as { output?: T }).output;

/** The HostResult an actor's done event carries, if it is one. */
export const hostOutput = (event: unknown): HostResult | undefined => outputOf<HostResult>(event);

/** Guard: the host approved. */
export const hostApproved = ({ event }: { event: unknown }): boolean => hostOutput(event)?.action === 'approve';

/** Guard: the host refused (see `isRefusal`). */
export const hostRefused = ({ event }: { event: unknown }): boolean => {
  const output = hostOutput(event);
  return output !== undefined && isRefusal(output);
};

/** Guard: the host's answer ends the transaction and hands the decision to the session. */
export const hostHandsToSession = ({ event }: { event: unknown }): boolean => {
  const output = hostOutput(event);
  return output !== undefined && sessionOutcome(output) !== undefined;
};

/** Guards on a host answer, for the machines that ask the host. */
export const hostGuards = { approved: hostApproved, handsToSession: hostHandsToSession } as const;

/** Guards of the receipt question (`receipt.yes` / `receipt.no`). */
export const receiptGuards = {
  choseReceipt: ({ event }: { event: EventObject }): boolean => optionOf(event) === 'receipt.yes',
  declinedReceipt: ({ event }: { event: EventObject }): boolean => optionOf(event) === 'receipt.no',
} as const;

const optionOf = (event: EventObject): string | undefined =>
  event.type === 'ui.optionSelected' ? (event as { option?: string }).option : undefined;

/** What every transaction context holds for its ending. */
export interface EndingContext {
  /** Catalogue key of the message on a notice screen or next to an entry; the result's `reason`. */
  readonly message?: string;
  readonly outcome?: TransactionOutcome;
}

/**
 * The actions every transaction machine registers: the watchdog requests,
 * `setOutcome` (the outcome as its param), which the final states run, and the
 * ends of a host answer (`takeSessionOutcome`, `explainRefusal`). Made per
 * machine so they are typed with that machine's context and events.
 */
export const transactionActions = <TContext extends EndingContext, TEvent extends EventObject>() => ({
  armWatchdog: sendParent<TContext, TEvent, undefined, typeof WATCHDOG_ARM, TEvent>(WATCHDOG_ARM),
  disarmWatchdog: sendParent<TContext, TEvent, undefined, typeof WATCHDOG_DISARM, TEvent>(WATCHDOG_DISARM),
  // Returns the whole context: TypeScript cannot check a partial of a generic context.
  setOutcome: assign<TContext, TEvent, { outcome: TransactionOutcome }, TEvent, never>(({ context }, { outcome }) => ({
    ...context,
    outcome,
  })),
  /** Sets the catalogue key of the message the customer sees next. */
  setMessage: assign<TContext, TEvent, { message: string }, TEvent, never>(({ context }, { message }) => ({
    ...context,
    message,
  })),
  /** On a host answer the session decides on: its outcome (wrong PIN, capture). */
  takeSessionOutcome: assign<TContext, TEvent, undefined, TEvent, never>(({ context, event }) => {
    const result = hostOutput(event);
    return { ...context, outcome: (result && sessionOutcome(result)) ?? 'failed' };
  }),
  /** On a refusal: the catalogue key that tells the customer why. */
  explainRefusal: assign<TContext, TEvent, undefined, TEvent, never>(({ context, event }) => {
    const result = hostOutput(event);
    return result === undefined ? context : { ...context, message: refusalReason(result) };
  }),
});

/**
 * The rest of a host answer after the machine's approved branches: a wrong PIN
 * or a capture hands the decision to the session, anything else is a refusal
 * the customer is told about. Needs `hostGuards` and `transactionActions`.
 */
export const refusedOrHandedToSession = [
  { guard: 'handsToSession', target: 'handedToSession', actions: 'takeSessionOutcome' },
  { target: 'refusedNotice', actions: 'explainRefusal' },
] as const;

/** The common part of a machine's result: its kind, outcome and the message shown last. */
export const resultOf = (kind: TransactionKind, context: EndingContext): TransactionResult => ({
  kind,
  outcome: context.outcome ?? 'failed',
  ...(context.message === undefined ? {} : { reason: context.message }),
});

/** A final state that records its outcome on entry. */
export const endsAs = (outcome: TransactionOutcome) =>
  ({ type: 'final', entry: { type: 'setOutcome', params: { outcome } } }) as const;

/**
 * The ending every transaction shares: a refusal or a failure is shown on a
 * notice the customer dismisses (or that times out after the `notice` delay),
 * then the machine stops in a final state that records the outcome. Host
 * answers the session decides on (wrong PIN, capture) stop in
 * `handedToSession`, whose outcome the transition there already set. Machines
 * the customer can cancel add `canceled: endsAs('canceled')`. Needs the
 * `armWatchdog` and `setOutcome` actions and the `notice` delay.
 */
export const endingStates = {
  refusedNotice: {
    entry: 'armWatchdog',
    on: { 'ui.confirmed': 'declined', 'ui.cancelPressed': 'declined' },
    after: { notice: 'declined' },
  },
  failedNotice: {
    on: { 'ui.confirmed': 'failed', 'ui.cancelPressed': 'failed' },
    after: { notice: 'failed' },
  },
  completed: endsAs('completed'),
  declined: endsAs('declined'),
  failed: endsAs('failed'),
  handedToSession: { type: 'final' },
} as const;
