import type { CardReaderDevice } from '../../../drivers/card-reader/contract.js';
import type { CardBinInfo } from '../../../state-machines/maintenance/types.js';
import type { Journal } from '../../journal/journal.js';

/** The retain bin as the technician sees it. */
export function cardBinOf(reader: CardReaderDevice | undefined): CardBinInfo {
  if (!reader) throw new Error('the kiosk has no card reader');
  const { count, threshold, capacity } = reader.getStatus().retainBin;
  return { count, threshold, capacity };
}

/**
 * The technician emptied the retain bin: journal how many cards were taken
 * out (before the count changes), then set the count to 0.
 */
export async function emptyCardBin(
  reader: CardReaderDevice | undefined,
  operatorId: string,
  journal: Pick<Journal, 'append'>,
  signal: AbortSignal,
): Promise<CardBinInfo> {
  const before = cardBinOf(reader);
  if (!reader?.resetCount) throw new Error('this card reader keeps no retain count to reset');
  journal.append({ kind: 'maintenance', payload: { event: 'cardBin.emptied', operatorId, cards: before.count } });
  const reset = await reader.resetCount(undefined, signal);
  if (reset.completionCode !== 'success') throw new Error(`retain count not reset: ${reset.errorDescription}`);
  return cardBinOf(reader);
}
