import type { HostResult, TransactionOutcome } from '../session/types.js';

/**
 * Pieces every transaction machine shares. Transaction machines run as
 * children of the session machine; they ask the session's watchdog (events
 * below, sent with `sendParent`) to time the customer while they wait for
 * input, and to stand down while devices or the host work.
 */
export const WATCHDOG_ARM = { type: 'watchdog.arm' } as const;
export const WATCHDOG_DISARM = { type: 'watchdog.disarm' } as const;

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
