/**
 * ZT588 key reports. Keys arrive as bare bytes outside frames, translated
 * through the scan-code table loaded with command `4`; in PIN entry every digit
 * arrives as the mask byte set with control `5 3`, so nothing above the EPP
 * learns which digit was pressed.
 */

/** The 24 keys of the 4×6 matrix, in scan-table order (row by row; A–D left FDKs, E–H right FDKs). */
export const MATRIX_KEYS = [
  '1', '2', '3', 'cancel',
  '4', '5', '6', 'clear',
  '7', '8', '9', 'blank',
  '.', '0', '00', 'enter',
  'A', 'C', 'E', 'G',
  'B', 'D', 'F', 'H',
] as const;
export type MatrixKey = (typeof MATRIX_KEYS)[number];

/**
 * The documented table (protocols.md §5a; smartware `SCANCODES`):
 * `1 2 3 ESC / 4 5 6 BS / 7 8 9 BEL / . 0 # CR / A C E G / B D F H` — `#` stands for `00`.
 */
export const DEFAULT_SCAN_CODES = Uint8Array.from([
  0x31, 0x32, 0x33, 0x1b,
  0x34, 0x35, 0x36, 0x08,
  0x37, 0x38, 0x39, 0x07,
  0x2e, 0x30, 0x23, 0x0d,
  0x41, 0x43, 0x45, 0x47,
  0x42, 0x44, 0x46, 0x48,
]);

/** The PIN mask this driver sets: `*`. */
export const DEFAULT_PIN_MASK = 0x2a;
/**
 * The EPP ended an entry by itself (input time limit): smartware treats 0x80
 * like Escape; this project reads it as "entry timed out, PIN discarded".
 */
export const ENTRY_ENDED = 0x80;

export type KeyReport =
  | { readonly kind: 'maskedDigit' }
  | { readonly kind: 'entryEnded' }
  | { readonly kind: 'key'; readonly key: MatrixKey };

/** Decodes one byte from outside the frames; undefined for line noise. */
export function decodeKeyReport(byte: number, scanCodes: Uint8Array, mask: number): KeyReport | undefined {
  if (byte === mask) return { kind: 'maskedDigit' };
  if (byte === ENTRY_ENDED) return { kind: 'entryEnded' };
  const index = scanCodes.indexOf(byte);
  const key = MATRIX_KEYS[index];
  return key === undefined ? undefined : { kind: 'key', key };
}
