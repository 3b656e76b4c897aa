import type { Clock } from '../../../drivers/common/clock.js';
import type { CashAcceptorDevice } from '../../../drivers/cash-acceptor/contract.js';
import { isUsable } from '../../../drivers/common/status.js';
import { eventLatch } from './event-latch.js';

/** What recovery did with notes in the acceptor's output: none there, taken, left waiting, retracted, or stuck. */
export type OutputRecovery = 'empty' | 'taken' | 'waiting' | 'retracted' | 'stuck';

type Note = (event: string, payload?: Record<string, unknown>) => void;

/**
 * Notes in the acceptor's output position after a restart — an escrow just
 * handed back, or notes nobody took before the power cut or crash — are
 * journaled with their value when the device reports it, and left to the
 * customer for `takeNotesMs`; then an acceptor that can retract pulls them
 * in. One that cannot leaves them where they are — a driver that found them
 * there reports them as of unknown origin, which keeps deposits closed — see
 * leaveForOwner.
 */
export async function clearAcceptorOutput(
  acceptor: CashAcceptorDevice,
  options: { readonly clock: Clock; readonly takeNotesMs: number; readonly signal: AbortSignal },
  note: Note,
): Promise<OutputRecovery> {
  const status = acceptor.getStatus();
  if (!status.positions.some((p) => p.position === 'outDefault' && p.positionStatus === 'notEmpty')) return 'empty';
  const canRetract = acceptor.getCapabilities().retractAreas.includes('retract');
  note('cashIn.output.found', {
    amounts: status.unknownAtOutput?.amounts ?? null,
    retractAfterMs: canRetract ? options.takeNotesMs : null,
  });
  if (!canRetract) {
    leaveForOwner(acceptor, options, note);
    return 'waiting';
  }

  const taken = eventLatch(acceptor, 'itemsTaken');
  const timeout = new AbortController();
  const timer = options.clock.setTimeout(() => timeout.abort(), options.takeNotesMs);
  const tookThem = await taken.wait(AbortSignal.any([options.signal, timeout.signal])).then(
    () => true,
    () => false,
  );
  options.clock.clearTimeout(timer);
  taken.cancel();
  if (tookThem) {
    note('cashIn.returnedTaken');
    return 'taken';
  }
  note('cashIn.retract.requested', { reason: 'returnNotTaken' });
  const retracted = await acceptor.retract({ retractArea: 'retract' }, options.signal);
  note('cashIn.retract.result', { completion: retracted.completionCode });
  return retracted.completionCode === 'success' ? 'retracted' : 'stuck';
}

/**
 * Notes nothing can pull back stay at the output until someone takes them (`cashIn.returnedTaken`);
 * once the customer's time is up the journal says they wait for the staff (`cashIn.output.notTaken`).
 */
function leaveForOwner(
  acceptor: CashAcceptorDevice,
  options: { readonly clock: Clock; readonly takeNotesMs: number },
  note: Note,
): void {
  const timer = options.clock.setTimeout(() => {
    offStatus();
    note('cashIn.output.notTaken', { afterMs: options.takeNotesMs });
  }, options.takeNotesMs);
  const offTaken = acceptor.on('itemsTaken', () => {
    offTaken();
    offStatus();
    options.clock.clearTimeout(timer);
    note('cashIn.returnedTaken');
  });
  // A device that goes away (the runtime closing it, too) cannot tell whether the customer came in time.
  const offStatus = acceptor.on('statusChanged', () => {
    if (isUsable(acceptor.getStatus().device)) return;
    offStatus();
    options.clock.clearTimeout(timer);
  });
}
