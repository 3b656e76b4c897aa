/**
 * ESC/POS command bytes (Epson command reference; protocols.md §6). Receipt
 * layout is composed from these in `receipt.ts`; the driver issues the rest.
 */

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const LF = 0x0a;

/** ESC @: initialise the printer (clears the buffer and modes). */
export const INITIALIZE = Uint8Array.of(ESC, 0x40);
/** GS V 1: partial cut (the ticket stays attached for the customer to tear). */
export const PARTIAL_CUT = Uint8Array.of(GS, 0x56, 0x01);
/** GS V 0: full cut. */
export const FULL_CUT = Uint8Array.of(GS, 0x56, 0x00);
/** FS &: enter Kanji (Chinese) mode; two-byte GB18030 codes print as one glyph. */
export const ENTER_CHINESE_MODE = Uint8Array.of(FS, 0x26);
/** FS .: leave Kanji (Chinese) mode; every byte is one character again. */
export const LEAVE_CHINESE_MODE = Uint8Array.of(FS, 0x2e);

export type Alignment = 'left' | 'center' | 'right';
const ALIGNMENT_CODES: Readonly<Record<Alignment, number>> = { left: 0, center: 1, right: 2 };

/** ESC a n: justification of the lines that follow (n = 0 left, 1 centre, 2 right). */
export function selectAlignment(alignment: Alignment): Uint8Array {
  return Uint8Array.of(ESC, 0x61, ALIGNMENT_CODES[alignment]);
}

/** ESC E n: emphasised (bold) on or off. */
export function selectEmphasis(on: boolean): Uint8Array {
  return Uint8Array.of(ESC, 0x45, on ? 1 : 0);
}

/**
 * GS ! n: character size, width multiplier in the high nibble and height in the
 * low one (each stored as multiplier − 1). Used instead of ESC ! because GS !
 * also scales Kanji/Chinese characters; ESC ! affects only the alphanumeric font.
 */
export function selectCharacterSize(width: number, height: number): Uint8Array {
  for (const m of [width, height]) {
    if (!Number.isInteger(m) || m < 1 || m > 8) throw new RangeError(`character size ${m} is outside 1..8`);
  }
  return Uint8Array.of(GS, 0x21, ((width - 1) << 4) | (height - 1));
}

/** ESC d n: print the buffer and feed n lines. */
export function feedLines(lines: number): Uint8Array {
  if (!Number.isInteger(lines) || lines < 0 || lines > 255) throw new RangeError(`cannot feed ${lines} lines`);
  return Uint8Array.of(ESC, 0x64, lines);
}

/*
 * Presenter (ejector) commands GS e n … of Custom/Pyramid kiosk printers
 * (PyramidTechnologies/escpos paper_movement.rst): n = 3 presents the ticket
 * with m steps of 7 mm (cutting it first if needed); n = 2 retracts it.
 */

/** GS e 3 m: cut if needed and present the ticket, moving it `steps` × 7 mm out. */
export function presentTicket(steps: number): Uint8Array {
  if (!Number.isInteger(steps) || steps < 0 || steps > 255) throw new RangeError(`cannot present ${steps} steps`);
  return Uint8Array.of(GS, 0x65, 0x03, steps);
}

/** GS e 2: retract the presented ticket into the bin. */
export const RETRACT_TICKET = Uint8Array.of(GS, 0x65, 0x02);
