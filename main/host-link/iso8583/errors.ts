/**
 * Why the codec refused bytes or a message. Callers switch on `code`; the text is for logs.
 * - truncated: the input ends inside the MTI, a bitmap, a length prefix or a field.
 * - badLength: a length prefix is malformed or over the field's maximum, a value does not fit its
 *   field, or bytes remain after the last field the bitmap announces.
 * - badBitmap: a hex-ASCII bitmap holds a non-hex character.
 * - badField: a value has characters its type forbids, or breaks a placement rule (MAC).
 * - badMti: the MTI is not four digits.
 * - unknownField: a field number outside 2..128, or one the profile's table does not define.
 * - oversized: a frame longer than the configured maximum or than a 2-byte length can carry.
 */
export type IsoFormatErrorCode =
  | 'truncated'
  | 'badLength'
  | 'badBitmap'
  | 'badField'
  | 'badMti'
  | 'unknownField'
  | 'oversized';

/** Messages name codes, field numbers and lengths only, never field content (PAN, track 2). */
export class IsoFormatError extends Error {
  readonly code: IsoFormatErrorCode;
  readonly field: number | undefined;

  constructor(code: IsoFormatErrorCode, field?: number, detail?: string) {
    super(`${code}${field === undefined ? '' : ` (DE${field})`}${detail === undefined ? '' : `: ${detail}`}`);
    this.name = 'IsoFormatError';
    this.code = code;
    this.field = field;
  }
}
