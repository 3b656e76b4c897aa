import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import type { CashLedger } from '../../cash/cash-ledger.js';
import type { Logger } from '../logger.js';

/** A reader whose retain count the driver keeps in memory (the Creator driver): the kiosk, not the reader, counts. */
export interface RestorableRetainCount {
  restoreRetainCount(count: number): void;
}

export function restorable(reader: CardReaderDevice): reader is CardReaderDevice & RestorableRetainCount {
  return typeof (reader as Partial<RestorableRetainCount>).restoreRetainCount === 'function';
}

/**
 * Keeps the retain bin's count in the durable ledger, keyed by the reader's
 * id: restored before the reader opens (a bin the ledger never saw keeps the
 * configured count and is recorded as it stands), then stored on every
 * change — a capture in a session or at recovery, the technician's reset.
 */
export function keepRetainCount(ledger: CashLedger, reader: CardReaderDevice, log: Logger): void {
  const store = (count: number): void => {
    try {
      ledger.setCardCount(reader.id, count);
    } catch (err) {
      log.warn({ error: (err as Error).message }, 'retain count not stored');
    }
  };
  const stored = ledger.cardCount(reader.id);
  if (stored !== undefined && restorable(reader)) reader.restoreRetainCount(stored);
  let last = reader.getStatus().retainBin.count;
  if (stored !== last) store(last);
  reader.on('statusChanged', () => {
    const count = reader.getStatus().retainBin.count;
    if (count === last) return;
    last = count;
    store(count);
  });
}
