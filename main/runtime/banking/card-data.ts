import type { CardData } from '../../host-link/transactions.js';

/** A card's track 2 could not be understood. */
export class CardDataError extends Error {
  override readonly name = 'CardDataError';
}

// PAN (12-19 digits), separator, YYMM expiry, 3-digit service code, discretionary data.
const TRACK2 = /^(\d{12,19})[=D](\d{4})(\d{3})(\d*)$/;

/**
 * Parses track 2 (as the reader returns it, without sentinels or LRC) into the
 * card data the host link needs. The result is cardholder data: it stays in
 * the card vault and the host request, nowhere else.
 */
export function cardFromTrack2(text: string, entry: CardData['entry']): CardData {
  const match = TRACK2.exec(text.trim());
  if (!match) throw new CardDataError('track 2 is not PAN=YYMM<service code>…');
  const [, pan, expiry] = match as unknown as [string, string, string];
  return { pan, track2: text.trim().replace('D', '='), expiry, entry };
}
