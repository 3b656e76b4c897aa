/**
 * Text → printer glyphs for a Chinese-capable ESC/POS printer. ASCII prints one
 * byte per column; anything else is sent as a two-byte GB18030 code in Chinese
 * mode, which the printer draws as a full-width glyph: two columns. That is
 * what a GB18030 printer does with every two-byte code, so column counting
 * follows the bytes rather than a Unicode width table.
 */

/** Encodes a string as GB18030; injected so neutral code needs no codec package. */
export type Gb18030Encoder = (text: string) => Uint8Array;

export interface Glyph {
  readonly bytes: Uint8Array;
  readonly columns: 1 | 2;
}

/** Printed in place of characters the printer cannot show (controls, four-byte codes). */
const REPLACEMENT: Glyph = { bytes: Uint8Array.of(0x3f), columns: 1 };
const SPACE = 0x20;

function isPrintableAscii(codePoint: number): boolean {
  return codePoint >= 0x20 && codePoint <= 0x7e;
}

/** A GB18030 two-byte code: lead 81..FE, trail 40..FE except 7F. */
function isDoubleByteCode(bytes: Uint8Array): boolean {
  const [lead = 0, trail = 0] = bytes;
  return bytes.length === 2 && lead >= 0x81 && lead <= 0xfe && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f;
}

/**
 * Converts one line of text. Control characters become `?` — they would be
 * read as printer commands — and so do four-byte GB18030 codes (outside
 * GBK), which receipt printer fonts do not carry.
 */
export function toGlyphs(text: string, encode: Gb18030Encoder): Glyph[] {
  const glyphs: Glyph[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (isPrintableAscii(codePoint)) {
      glyphs.push({ bytes: Uint8Array.of(codePoint), columns: 1 });
    } else if (codePoint < 0x80) {
      glyphs.push(REPLACEMENT);
    } else {
      const bytes = encode(char);
      glyphs.push(isDoubleByteCode(bytes) ? { bytes: Uint8Array.from(bytes), columns: 2 } : REPLACEMENT);
    }
  }
  return glyphs;
}

export function columnsOf(glyphs: readonly Glyph[]): number {
  return glyphs.reduce((n, g) => n + g.columns, 0);
}

export function spaces(count: number): Glyph[] {
  return Array.from({ length: Math.max(0, count) }, () => ({ bytes: Uint8Array.of(SPACE), columns: 1 as const }));
}

const isSpace = (glyph: Glyph): boolean => glyph.columns === 1 && glyph.bytes[0] === SPACE;

/**
 * Breaks glyphs into lines of at most `width` columns, at the last space when a
 * line has one (English words stay whole) and anywhere otherwise (Chinese has
 * no spaces). Spaces at a break are dropped. An empty text is one empty line.
 */
export function wrapGlyphs(glyphs: readonly Glyph[], width: number): Glyph[][] {
  if (width < 2) throw new RangeError(`cannot wrap to ${width} columns`);
  const lines: Glyph[][] = [];
  let rest = [...glyphs];
  while (columnsOf(rest) > width) {
    let end = 0;
    for (let used = 0; end < rest.length && used + (rest[end]?.columns ?? 0) <= width; end += 1) {
      used += rest[end]?.columns ?? 0;
    }
    const lastSpace = rest.slice(0, end + 1).findLastIndex(isSpace);
    const cut = lastSpace > 0 ? lastSpace : end;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(cut);
    while (rest[0] && isSpace(rest[0])) rest = rest.slice(1);
  }
  lines.push(rest);
  return lines;
}
