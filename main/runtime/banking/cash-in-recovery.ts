import type { Clock } from '../../../drivers/common/clock.js';
import type { CashAcceptorDevice } from '../../../drivers/cash-acceptor/contract.js';
import type { ReversalQueue, ReversalRecord } from '../../host-link/reversals/queue.js';
import type { Journal } from '../../journal/journal.js';
import { LIVE_TABLE } from '../../journal/schema.js';
import { eventLatch } from './event-latch.js';

/** What the journal says about the last cash-in of the process that died. */
export interface CashInTrail {
  /** Journal time of its `cashIn.start.requested`. */
  readonly startedAt: number;
  /** cashInEnd succeeded: the escrow is in the units and the host's credit stands. */
  readonly committed: boolean;
  /** cashInEnd was ordered but its result died with the process: the device may have stored the notes. */
  readonly endInDoubt: boolean;
  /** Rolled back (or committed): the escrow holds nothing of this deposit. */
  readonly settled: boolean;
  /** Notes counted into escrow, as `cashIn.counted` recorded them. */
  readonly counted: readonly { readonly value: number; readonly level: string }[];
}

export type CashInRecovery = 'none' | 'committed' | 'returned' | 'retracted' | 'stuck';

interface TrailRecord {
  readonly time: number;
  readonly event?: string;
  readonly completion?: string;
  readonly notes?: readonly { value: number; level: string }[];
}

/** Folds the cash-in records since the last `cashIn.start.requested`; undefined when there was none. */
export function cashInTrail(records: readonly TrailRecord[]): CashInTrail | undefined {
  const start = records.findLastIndex((r) => r.event === 'cashIn.start.requested');
  if (start < 0) return undefined;
  const tail = records.slice(start);
  const succeeded = (event: string): boolean => tail.some((r) => r.event === event && r.completion === 'success');
  const has = (event: string): boolean => tail.some((r) => r.event === event);
  const committed = succeeded('cashIn.end.result');
  return {
    startedAt: (records[start] as TrailRecord).time,
    committed,
    endInDoubt: has('cashIn.end.requested') && !has('cashIn.end.result'),
    settled: committed || succeeded('cashIn.rollback.result'),
    counted: tail.flatMap((r) => (r.event === 'cashIn.counted' ? (r.notes ?? []) : [])),
  };
}

/** The cash-in records journaled since the last finished start-up recovery (read backwards from the end). */
function recordsSinceLastRecovery(journal: Journal): TrailRecord[] {
  const last = journal.db
    .prepare(
      `SELECT seq FROM ${LIVE_TABLE}
       WHERE kind = 'recovery' AND json_extract(payload, '$.event') = 'recovery.finished'
       ORDER BY seq DESC LIMIT 1`,
    )
    .get() as { seq: number } | undefined;
  const rows = journal.db
    .prepare(
      `SELECT time, payload FROM ${LIVE_TABLE}
       WHERE seq > ? AND kind IN ('transaction', 'device.result') AND json_extract(payload, '$.event') LIKE 'cashIn.%'
       ORDER BY seq`,
    )
    .all(last?.seq ?? 0) as { time: number; payload: string }[];
  return rows.map((r) => ({ time: r.time, ...(JSON.parse(r.payload) as Omit<TrailRecord, 'time'>) }));
}

/** A deposit's 0200 carries processing code 21 (DE3). */
export const isDepositReversal = (r: ReversalRecord): boolean => r.original.fields['3']?.startsWith('21') === true;

type Note = (event: string, payload?: Record<string, unknown>) => void;

/**
 * Settles a deposit whose process died: notes still in escrow go back to the
 * customer (a rollback while the driver still holds the transaction, else a
 * reset to the output position, which hands the escrow back), and are
 * retracted when the acceptor can and the customer does not take them within
 * `takeNotesMs`. Retained counterfeit and suspect notes stay where the
 * acceptor put them. The deposit's prepared reversal is completed when the
 * notes were committed and owed otherwise — also when the commit's outcome is
 * in doubt, which is journaled for the balancing of the cash units.
 */
export async function recoverCashIn(options: {
  readonly acceptor: CashAcceptorDevice | undefined;
  readonly deposits: readonly ReversalRecord[];
  readonly reversals: ReversalQueue;
  readonly journal: Journal;
  readonly clock: Clock;
  readonly takeNotesMs: number;
  readonly note: Note;
  readonly signal: AbortSignal;
}): Promise<{ cashIn: CashInRecovery; completed: number; owed: number }> {
  const { acceptor, note } = options;
  const trail = cashInTrail(recordsSinceLastRecovery(options.journal));
  let cashIn: CashInRecovery = 'none';
  if (trail?.committed) cashIn = 'committed';
  else if (trail && acceptor) {
    if (trail.endInDoubt) note('cashIn.inDoubt', { counted: trail.counted });
    if (!trail.settled) cashIn = await returnEscrow(acceptor, options, note);
  }

  let completed = 0;
  let owed = 0;
  options.deposits.forEach((reversal, index) => {
    const ours = trail !== undefined && index === options.deposits.length - 1 && reversal.createdAt >= trail.startedAt;
    if (ours && trail.committed) {
      options.reversals.cancel(reversal.id);
      completed += 1;
      note('reversal.completed', { reversal: reversal.id, reason: 'notes stored before the restart' });
      return;
    }
    options.reversals.owe(reversal.id, 'interrupted');
    owed += 1;
    note('reversal.owed', { reversal: reversal.id, reason: 'interrupted', deposit: true });
  });
  return { cashIn, completed, owed };
}

/** Hands the escrow back at the output; retracts it when the acceptor can and nobody takes it. */
async function returnEscrow(
  acceptor: CashAcceptorDevice,
  options: { readonly clock: Clock; readonly takeNotesMs: number; readonly signal: AbortSignal },
  note: Note,
): Promise<CashInRecovery> {
  const { signal } = options;
  const taken = eventLatch(acceptor, 'itemsTaken');
  try {
    const status = await acceptor.getCashInStatus(undefined, signal);
    const active = status.completionCode === 'success' && status.payload.status === 'active';
    note(active ? 'cashIn.rollback.requested' : 'cashIn.reset.requested', {
      cashInStatus: status.completionCode === 'success' ? status.payload.status : status.completionCode,
    });
    const result = active
      ? await acceptor.cashInRollback(undefined, signal)
      : await acceptor.reset({ position: 'outDefault' }, signal);
    note(active ? 'cashIn.rollback.result' : 'cashIn.reset.result', {
      completion: result.completionCode,
      ...(result.completionCode === 'success' ? {} : { errorCode: result.errorCode ?? null }),
    });
    if (result.completionCode !== 'success' && result.errorCode !== 'noItems') return 'stuck';

    const atOutput = acceptor
      .getStatus()
      .positions.some((p) => p.position === 'outDefault' && p.positionStatus === 'notEmpty');
    if (!atOutput || !acceptor.getCapabilities().retractAreas.includes('retract')) return 'returned';
    const timeout = new AbortController();
    const timer = options.clock.setTimeout(() => timeout.abort(), options.takeNotesMs);
    const tookThem = await taken.wait(AbortSignal.any([signal, timeout.signal])).then(
      () => true,
      () => false,
    );
    options.clock.clearTimeout(timer);
    if (tookThem) {
      note('cashIn.returnedTaken');
      return 'returned';
    }
    note('cashIn.retract.requested', { reason: 'returnNotTaken' });
    const retracted = await acceptor.retract({ retractArea: 'retract' }, signal);
    note('cashIn.retract.result', { completion: retracted.completionCode });
    return retracted.completionCode === 'success' ? 'retracted' : 'stuck';
  } finally {
    taken.cancel();
  }
}
