import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import type { Journal } from '../../journal/journal.js';
import { LIVE_TABLE } from '../../journal/schema.js';
import { restorable } from './retain-count.js';

/** What start-up recovery made of a capture whose result died with the last process. */
export type CaptureReconciliation =
  | 'none' // no capture was left unfinished
  | 'counted' // the card is in the bin and the count was one short: counted now
  | 'alreadyCounted' // the count was stored before the power went
  | 'cardInside' // the reader never took it: recovery captures it now, and that capture counts it
  | 'readerCounts' // the reader keeps its own count, which already says
  | 'readerUnknown'; // the reader cannot tell: left open for the next start

/** A capture order and its endings, whoever journaled them (a session or start-up recovery). */
const CAPTURE_RECORDS = `(
  (kind = 'transaction' AND json_extract(payload, '$.to') = 'retain'
    AND json_extract(payload, '$.event') IN ('card.move.requested', 'card.move.result'))
  OR (kind = 'recovery'
    AND json_extract(payload, '$.event') IN ('card.capture.requested', 'card.capture.result', 'card.capture.reconciled'))
)`;

/**
 * How far back start-up looks for an unfinished capture. A capture cut by the
 * power is among the last records before the cut, and the next start
 * reconciles it among its first; the window keeps start-up from reading a
 * journal of years when the kiosk never captured a card.
 */
export const CAPTURE_WINDOW = 10_000;

/** The bin count journaled with the last capture order, when neither a result nor a reconciliation followed it. */
export function unfinishedCapture(journal: Journal): { readonly retainCount: number } | undefined {
  const row = journal.db
    .prepare(
      `SELECT payload FROM ${LIVE_TABLE}
       WHERE seq > (SELECT coalesce(max(seq), 0) FROM ${LIVE_TABLE}) - ${CAPTURE_WINDOW} AND ${CAPTURE_RECORDS}
       ORDER BY seq DESC LIMIT 1`,
    )
    .get() as { payload: string } | undefined;
  if (!row) return undefined;
  const last = JSON.parse(row.payload) as { event: string; retainCount?: unknown };
  return last.event.endsWith('.requested') && typeof last.retainCount === 'number'
    ? { retainCount: last.retainCount }
    : undefined;
}

/**
 * A capture is journaled with the bin's count before the reader is told to
 * act, and its result after; the count is stored in the ledger in between.
 * When the power went in that window, the reader's own status decides: a card
 * no longer in it went to the bin, so the count is raised by one unless it
 * already moved past the journaled one. The count is stored before
 * `card.capture.reconciled` closes the order, so neither a second restart nor
 * a cut between the two counts the card twice.
 */
export function reconcileCapture(
  journal: Journal,
  reader: CardReaderDevice,
  note: (event: string, payload: Record<string, unknown>) => void,
): CaptureReconciliation {
  const open = unfinishedCapture(journal);
  if (!open) return 'none';
  const { media, retainBin } = reader.getStatus();
  if (media === 'unknown') return 'readerUnknown';
  let outcome: CaptureReconciliation;
  if (media !== 'notPresent') outcome = 'cardInside';
  else if (!restorable(reader)) outcome = 'readerCounts';
  else if (retainBin.count !== open.retainCount) outcome = 'alreadyCounted';
  else {
    // The driver publishes the new count, and keepRetainCount stores it in the ledger synchronously.
    reader.restoreRetainCount(open.retainCount + 1);
    outcome = 'counted';
  }
  note('card.capture.reconciled', { media, outcome, retainCount: reader.getStatus().retainBin.count });
  return outcome;
}
