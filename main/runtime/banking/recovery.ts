import type { Clock } from '../../../drivers/common/clock.js';
import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import type { CashAcceptorDevice } from '../../../drivers/cash-acceptor/contract.js';
import type { CashDispenserDevice, LastDispenseTransaction } from '../../../drivers/cash-dispenser/contract.js';
import type { ReversalQueue, ReversalReason } from '../../host-link/reversals/queue.js';
import type { Journal } from '../../journal/journal.js';
import type { OutputRecovery } from './acceptor-output.js';
import { reconcileCapture } from './capture-recovery.js';
import { isDepositReversal, recoverCashIn, type CashInRecovery } from './cash-in-recovery.js';

/** What start-up recovery found and did, for the journal and for tests. */
export interface RecoveryReport {
  readonly card: 'none' | 'captured' | 'stuck';
  readonly cash: 'none' | 'taken' | 'rejected' | 'retracted' | 'stuck';
  /** The last deposit's notes: left committed, handed back, retracted, stuck, or pending until the acceptor can. */
  readonly cashIn: CashInRecovery;
  /** Notes in the acceptor's output (that escrow, or notes nobody took before the restart). */
  readonly acceptorOutput: OutputRecovery;
  /** Reversals settled as completed (the customer got the cash, the notes were stored) and as owed. */
  readonly completed: number;
  readonly owed: number;
}

const CARD_INSIDE = new Set(['present', 'entering', 'latched', 'jammed']);

/**
 * Puts the kiosk back into a safe state after a crash or power cut, before it
 * serves anyone: a capture the power cut short is counted if the card went to
 * the bin (reconcileCapture); a card left in the reader is captured; notes left in the
 * stacker are rejected and notes left at the exit retracted; and every
 * withdrawal whose outcome died with the last process is settled from the
 * dispenser's own last-transaction record — completed if the customer took
 * the notes, otherwise reversed at the host. A deposit whose process died is
 * settled by recoverCashIn (escrow back to the customer, reversal owed unless
 * the notes were committed; deposits closed until an acceptor that is away
 * has done so). Each step is journaled.
 */
export async function recoverAfterRestart(options: {
  readonly cardReader?: CardReaderDevice;
  readonly dispenser?: CashDispenserDevice;
  readonly acceptor?: CashAcceptorDevice;
  readonly reversals: ReversalQueue;
  readonly journal: Journal;
  readonly clock: Clock;
  /** How long notes handed back by the acceptor wait for the customer before an acceptor that can retracts them. */
  readonly takeNotesMs: number;
  /** Closes (true) or reopens deposits while the acceptor cannot yet settle a dead process's escrow. */
  readonly holdDeposits?: (on: boolean) => void;
  readonly signal: AbortSignal;
}): Promise<RecoveryReport> {
  const { journal, signal } = options;
  const note = (event: string, payload: Record<string, unknown> = {}): void => {
    journal.append({ kind: 'recovery', payload: { event, ...payload } });
  };
  note('recovery.started');

  let card: RecoveryReport['card'] = 'none';
  const reader = options.cardReader;
  if (reader) reconcileCapture(journal, reader, note);
  if (reader && CARD_INSIDE.has(reader.getStatus().media)) {
    const { media, retainBin } = reader.getStatus();
    note('card.capture.requested', { media, retainCount: retainBin.count });
    const moved = await reader.move({ to: 'retain' }, signal);
    card = moved.completionCode === 'success' ? 'captured' : 'stuck';
    note('card.capture.result', { completion: moved.completionCode });
  }

  const all = options.reversals.prepared();
  const prepared = all.filter((r) => !isDepositReversal(r));
  let cash: RecoveryReport['cash'] = 'none';
  let last: LastDispenseTransaction | undefined;
  if (options.dispenser) {
    const lastResult = await options.dispenser.getLastTransaction(undefined, signal);
    last = lastResult.completionCode === 'success' ? lastResult.payload : undefined;
    cash = await clearCashPath(options.dispenser, last, note, signal);
  }

  // Only the newest in-flight request can have reached the dispenser; older ones never did.
  let completed = 0;
  let owed = 0;
  prepared.forEach((reversal, index) => {
    const newest = index === prepared.length - 1;
    const dispensedAfter = last !== undefined && last.startedAt >= reversal.createdAt;
    const outcome = newest && dispensedAfter ? (last as LastDispenseTransaction).outcome : undefined;
    if (outcome === 'taken') {
      options.reversals.cancel(reversal.id);
      completed += 1;
      note('reversal.completed', { reversal: reversal.id, reason: 'cash taken before the restart' });
      return;
    }
    const reason: ReversalReason =
      outcome === undefined ? 'interrupted' : outcome === 'presented' ? 'cashRetracted' : 'dispenseFault';
    options.reversals.owe(reversal.id, reason);
    owed += 1;
    note('reversal.owed', { reversal: reversal.id, reason });
  });
  const deposit = await recoverCashIn({
    acceptor: options.acceptor,
    deposits: all.filter(isDepositReversal),
    reversals: options.reversals,
    journal,
    clock: options.clock,
    takeNotesMs: options.takeNotesMs,
    note,
    signal,
    holdDeposits: options.holdDeposits ?? (() => undefined),
  });
  const report = {
    card,
    cash,
    cashIn: deposit.cashIn,
    acceptorOutput: deposit.output,
    completed: completed + deposit.completed,
    owed: owed + deposit.owed,
  };
  note('recovery.finished', { ...report });
  return report;
}

/** Empties the stacker (reject) and the exit (retract) so the next customer starts clean. */
async function clearCashPath(
  dispenser: CashDispenserDevice,
  last: LastDispenseTransaction | undefined,
  note: (event: string, payload?: Record<string, unknown>) => void,
  signal: AbortSignal,
): Promise<RecoveryReport['cash']> {
  if (!last) return 'none';
  switch (last.outcome) {
    case 'dispensing':
    case 'stacked': {
      note('cash.reject.requested', { dispenseId: last.dispenseId });
      const result = await dispenser.reject(undefined, signal);
      note('cash.reject.result', { completion: result.completionCode });
      return result.completionCode === 'success' || errorCodeOf(result) === 'noItems' ? 'rejected' : 'stuck';
    }
    case 'presented': {
      note('cash.retract.requested', { dispenseId: last.dispenseId });
      const result = await dispenser.retract({ retractArea: 'retract' }, signal);
      note('cash.retract.result', { completion: result.completionCode });
      if (errorCodeOf(result) === 'itemsTaken') return 'taken';
      return result.completionCode === 'success' || errorCodeOf(result) === 'noItems' ? 'retracted' : 'stuck';
    }
    case 'taken':
      return 'taken';
    default:
      return 'none';
  }
}

function errorCodeOf(result: { completionCode: string; errorCode?: string }): string | undefined {
  return result.completionCode === 'success' ? undefined : result.errorCode;
}
