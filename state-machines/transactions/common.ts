import { assign, sendParent, type EventObject } from 'xstate';
import type { HostResult, TransactionOutcome } from '../session/types.js';

/**
 * Pieces every transaction machine shares. Transaction machines run as
 * children of the session machine; they ask the session's watchdog (events
 * below, sent with `sendParent`) to time the customer while they wait for
 * input, and to stand down while devices or the host work.
 */
const WATCHDOG_ARM = { type: 'watchdog.arm' } as const;
const WATCHDOG_DISARM = { type: 'watchdog.disarm' } as const;

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

/** The HostResult an actor's done event carries, if it is one. */
export function hostOutput(event: unknown): HostResult | undefined {
  return (event as { output?: HostResult }).output;
}

/** Guard: the host approved. */
export const hostApproved = ({ event }: { event: unknown }): boolean => hostOutput(event)?.action === 'approve';

/** Guard: the host's answer ends the transaction and hands the decision to the session. */
export const hostHandsToSession = ({ event }: { event: unknown }): boolean => {
  const output = hostOutput(event);
  return output !== undefined && sessionOutcome(output) !== undefined;
};

/**
 * The actions every transaction machine registers: the watchdog requests and
 * `setOutcome` (the outcome as its param), which the final states run. Made
 * per machine so they are typed with that machine's context and events.
 */
export const transactionActions = <
  TContext extends { outcome?: TransactionOutcome },
  TEvent extends EventObject,
>() => ({
  armWatchdog: sendParent<TContext, TEvent, undefined, typeof WATCHDOG_ARM, TEvent>(WATCHDOG_ARM),
  disarmWatchdog: sendParent<TContext, TEvent, undefined, typeof WATCHDOG_DISARM, TEvent>(WATCHDOG_DISARM),
  // Returns the whole context: TypeScript cannot check a partial of a generic context.
  setOutcome: assign<TContext, TEvent, { outcome: TransactionOutcome }, TEvent, never>(({ context }, { outcome }) => ({
    ...context,
    outcome,
  })),
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
