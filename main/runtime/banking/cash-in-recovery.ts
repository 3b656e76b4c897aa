import type { Clock } from '../../../drivers/common/clock.js';
import type { CashAcceptorDevice } from '../../../drivers/cash-acceptor/contract.js';
import { isUsable } from '../../../drivers/common/status.js';
import type { ReversalQueue, ReversalRecord } from '../../host-link/reversals/queue.js';
import type { Journal } from '../../journal/journal.js';
import { LIVE_TABLE } from '../../journal/schema.js';
import { clearAcceptorOutput, type OutputRecovery } from './acceptor-output.js';

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

/** The dead process's escrow: none, committed, handed back, retracted, stuck at the output, or pending (the acceptor could not yet). */
export type CashInRecovery = 'none' | 'committed' | 'returned' | 'retracted' | 'stuck' | 'pending';

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

/**
 * The cash-in records journaled since the last settled start-up recovery (read backwards from the
 * end): one that finished with the escrow still pending does not count until the escrow is resolved.
 */
function recordsSinceLastRecovery(journal: Journal): TrailRecord[] {
  const last = journal.db
    .prepare(
      `SELECT seq FROM ${LIVE_TABLE}
       WHERE kind = 'recovery' AND (
         (json_extract(payload, '$.event') = 'recovery.finished' AND json_extract(payload, '$.cashIn') IS NOT 'pending')
         OR json_extract(payload, '$.event') = 'cashIn.escrow.resolved')
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

interface AcceptorRecovery {
  readonly clock: Clock;
  readonly takeNotesMs: number;
  readonly note: Note;
  readonly signal: AbortSignal;
  /** Closes (true) or reopens deposits on the acceptor while a dead process's escrow is in doubt. */
  readonly holdDeposits: (on: boolean) => void;
}

/** How the escrow ended up once the output was dealt with. */
const ESCROW_AFTER: Record<OutputRecovery, CashInRecovery> = {
  empty: 'returned',
  taken: 'returned',
  waiting: 'returned',
  retracted: 'retracted',
  stuck: 'stuck',
};

const usable = (acceptor: CashAcceptorDevice): boolean => isUsable(acceptor.getStatus().device);

/**
 * Settles a deposit whose process died: notes still in escrow go back to the
 * customer (a rollback while the driver still holds the transaction, else a
 * reset to the output position, which hands the escrow back), and the output
 * is cleared as clearAcceptorOutput says — also when no deposit was in doubt
 * but notes lie there from before the restart. An acceptor that is offline or
 * cannot hand the escrow back keeps deposits closed (`escrowInDoubt`) until it
 * has done so. Retained counterfeit and suspect notes stay where the
 * acceptor put them. The deposit's prepared reversal is completed when the
 * notes were committed and owed otherwise — also when the commit's outcome is
 * in doubt, which is journaled for the balancing of the cash units.
 */
export async function recoverCashIn(
  options: AcceptorRecovery & {
    readonly acceptor: CashAcceptorDevice | undefined;
    readonly deposits: readonly ReversalRecord[];
    readonly reversals: ReversalQueue;
    readonly journal: Journal;
  },
): Promise<{ cashIn: CashInRecovery; output: OutputRecovery; completed: number; owed: number }> {
  const { acceptor, note } = options;
  const trail = cashInTrail(recordsSinceLastRecovery(options.journal));
  let cashIn: CashInRecovery = trail?.committed ? 'committed' : 'none';
  let output: OutputRecovery = 'empty';
  if (acceptor) {
    if (trail?.endInDoubt) note('cashIn.inDoubt', { counted: trail.counted });
    const owesEscrow = trail !== undefined && !trail.settled;
    if (!usable(acceptor) || (owesEscrow && !(await handBack(acceptor, options.signal, note)))) {
      settleLater(acceptor, owesEscrow, trail?.counted ?? [], options);
      if (owesEscrow) cashIn = 'pending';
    } else {
      output = await clearAcceptorOutput(acceptor, options, note);
      if (owesEscrow) cashIn = ESCROW_AFTER[output];
    }
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
  return { cashIn, output, completed, owed };
}

/** Ends the dead process's cash-in so that the device hands its escrow back; false when it could not. */
async function handBack(acceptor: CashAcceptorDevice, signal: AbortSignal, note: Note): Promise<boolean> {
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
  return result.completionCode === 'success' || result.errorCode === 'noItems';
}

/**
 * Finishes the acceptor's part once it becomes usable again (back online, or
 * repaired): hands the escrow back when one is owed, then clears the output.
 * Until then an owed escrow keeps deposits closed, journaled once as
 * `cashIn.escrow.unresolved` and once as `cashIn.escrow.resolved`; an attempt
 * that fails waits for the device's next return.
 */
function settleLater(
  acceptor: CashAcceptorDevice,
  owesEscrow: boolean,
  counted: CashInTrail['counted'],
  options: AcceptorRecovery,
): void {
  const { note } = options;
  if (owesEscrow) {
    options.holdDeposits(true);
    note('cashIn.escrow.unresolved', { device: acceptor.getStatus().device, counted });
  }
  let wasUsable = usable(acceptor);
  let busy = false;
  const attempt = async (): Promise<void> => {
    busy = true;
    try {
      if (owesEscrow && !(await handBack(acceptor, options.signal, note))) return;
      off();
      const output = await clearAcceptorOutput(acceptor, options, note);
      if (!owesEscrow) return;
      note('cashIn.escrow.resolved', { cashIn: ESCROW_AFTER[output], output });
      options.holdDeposits(false);
    } finally {
      busy = false;
    }
  };
  // Only a return to usable triggers an attempt: a reset that fails must not retry on its own status changes.
  const off = acceptor.on('statusChanged', () => {
    const now = usable(acceptor);
    // A throw (the journal refusing a record) leaves the hold on until the device's next return.
    if (now && !wasUsable && !busy) void attempt().catch(() => undefined);
    wasUsable = now;
  });
}
