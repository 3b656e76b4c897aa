/**
 * Why the EMV kernel stopped a transaction. Messages name tags, lengths and
 * status words only, never card data. Transport failures (card removed,
 * reader gone) and cancellation pass through unchanged.
 */
export type EmvKernelErrorCode =
  /** No application on the card is one the terminal accepts. */
  | 'noApplication'
  /** The card answered a command with an unexpected status word. */
  | 'cardError'
  /** A card response could not be decoded (TLV, AFL, response format). */
  | 'badCardData'
  /** A mandatory data object (PAN, expiry, CDOL1, CDOL2, AIP, AFL) is missing. */
  | 'iccDataMissing'
  /** A call out of order, e.g. the second GENERATE AC without a first. */
  | 'sequence';

export class EmvKernelError extends Error {
  override readonly name = 'EmvKernelError';
  constructor(
    readonly code: EmvKernelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
