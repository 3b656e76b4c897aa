import {
  ENTER_CHINESE_MODE,
  FULL_CUT,
  INITIALIZE,
  LEAVE_CHINESE_MODE,
  LF,
  PARTIAL_CUT,
  feedLines,
  selectAlignment,
  selectCharacterSize,
  selectEmphasis,
  type Alignment,
} from './commands.js';
import { columnsOf, spaces, toGlyphs, wrapGlyphs, type Gb18030Encoder, type Glyph } from './glyphs.js';
import { qrCodeCommands, QR_MAX_DATA, type QrErrorCorrection } from './qr-code.js';

/**
 * A receipt as a small document model, composed into ESC/POS bytes. It knows
 * lines, rows and codes, not transactions: the customer receipt is built from
 * it in main/receipts.
 */

export type TextSize = 'normal' | 'double' | 'doubleWidth' | 'doubleHeight';

export interface TextBlock {
  readonly kind: 'text';
  /** One paragraph; `\n` starts a new line, long lines wrap. */
  readonly text: string;
  readonly bold?: boolean;
  readonly size?: TextSize;
  readonly align?: Alignment;
}
export interface SeparatorBlock {
  readonly kind: 'separator';
  /** One printable ASCII character repeated across the line; default `-`. */
  readonly char?: string;
}
/** A label on the left and a value on the right of the same line. */
export interface KeyValueBlock {
  readonly kind: 'keyValue';
  readonly key: string;
  readonly value: string;
  readonly bold?: boolean;
}
export interface QrBlock {
  readonly kind: 'qr';
  /** Printable ASCII (URLs, ticket numbers). */
  readonly data: string;
  /** Module size in dots, 1..16; default 6. */
  readonly moduleSize?: number;
  /** Default M. */
  readonly errorCorrection?: QrErrorCorrection;
  /** Default centre. */
  readonly align?: Alignment;
}
export interface FeedBlock {
  readonly kind: 'feed';
  readonly lines: number;
}
export interface CutBlock {
  readonly kind: 'cut';
  /** Default full cut. */
  readonly partial?: boolean;
}
export type ReceiptBlock = TextBlock | SeparatorBlock | KeyValueBlock | QrBlock | FeedBlock | CutBlock;

export interface ReceiptDocument {
  readonly blocks: readonly ReceiptBlock[];
}

export interface ComposeOptions {
  /** Characters per line in the normal font (42 on 80 mm paper, font A). */
  readonly columns: number;
  readonly encodeText: Gb18030Encoder;
}

const SIZES: Readonly<Record<TextSize, readonly [width: number, height: number]>> = {
  normal: [1, 1],
  double: [2, 2],
  doubleWidth: [2, 1],
  doubleHeight: [1, 2],
};

interface Style {
  readonly align: Alignment;
  readonly bold: boolean;
  readonly size: TextSize;
}
const INITIAL_STYLE: Style = { align: 'left', bold: false, size: 'normal' };

/** Collects bytes and emits a mode command only when the mode changes. */
class Writer {
  private readonly chunks: Uint8Array[] = [];
  private style: Style = INITIAL_STYLE;

  push(...chunks: Uint8Array[]): void {
    this.chunks.push(...chunks);
  }

  setStyle(next: Style): void {
    if (next.align !== this.style.align) this.push(selectAlignment(next.align));
    if (next.bold !== this.style.bold) this.push(selectEmphasis(next.bold));
    if (next.size !== this.style.size) this.push(selectCharacterSize(...SIZES[next.size]));
    this.style = next;
  }

  /** One printed line; Chinese mode only around lines that need it. */
  line(glyphs: readonly Glyph[]): void {
    const chinese = glyphs.some((g) => g.columns === 2);
    if (chinese) this.push(ENTER_CHINESE_MODE);
    this.push(...glyphs.map((g) => g.bytes));
    if (chinese) this.push(LEAVE_CHINESE_MODE);
    this.push(Uint8Array.of(LF));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function asciiBytes(text: string, what: string): Uint8Array {
  const codes = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  if (codes.length === 0 || codes.some((c) => c < 0x20 || c > 0x7e))
    throw new RangeError(`${what} must be printable ASCII`);
  return Uint8Array.from(codes);
}

/**
 * Composes a document into ESC/POS bytes. The stream starts with ESC @ and
 * FS . because many Chinese printers power up in Chinese mode; from that known
 * state the writer emits only the mode changes each line needs.
 */
export function composeReceipt(document: ReceiptDocument, options: ComposeOptions): Uint8Array {
  const { columns, encodeText } = options;
  if (!Number.isInteger(columns) || columns < 4 || columns > 255) throw new RangeError(`${columns} columns`);
  const out = new Writer();
  out.push(INITIALIZE, LEAVE_CHINESE_MODE);
  for (const block of document.blocks) {
    switch (block.kind) {
      case 'text': {
        const size = block.size ?? 'normal';
        out.setStyle({ align: block.align ?? 'left', bold: block.bold ?? false, size });
        const width = Math.floor(columns / SIZES[size][0]);
        for (const paragraph of block.text.split('\n')) {
          for (const line of wrapGlyphs(toGlyphs(paragraph, encodeText), width)) out.line(line);
        }
        break;
      }
      case 'separator': {
        const char = asciiBytes(block.char ?? '-', 'separator');
        if (char.length !== 1) throw new RangeError('separator must be one character');
        out.setStyle(INITIAL_STYLE);
        out.line(toGlyphs(String.fromCharCode(char[0] ?? 0x2d).repeat(columns), encodeText));
        break;
      }
      case 'keyValue':
        out.setStyle({ ...INITIAL_STYLE, bold: block.bold ?? false });
        for (const line of keyValueLines(toGlyphs(block.key, encodeText), toGlyphs(block.value, encodeText), columns)) {
          out.line(line);
        }
        break;
      case 'qr': {
        const data = asciiBytes(block.data, 'QR data');
        if (data.length > QR_MAX_DATA) throw new RangeError(`QR data longer than ${QR_MAX_DATA} bytes`);
        out.setStyle({ ...INITIAL_STYLE, align: block.align ?? 'center' });
        out.push(
          ...qrCodeCommands(data, { moduleSize: block.moduleSize ?? 6, errorCorrection: block.errorCorrection ?? 'M' }),
        );
        // The symbol ends the line; LF moves on so following text starts below it.
        out.push(Uint8Array.of(LF));
        break;
      }
      case 'feed':
        out.push(feedLines(block.lines));
        break;
      case 'cut':
        out.push(block.partial ? PARTIAL_CUT : FULL_CUT);
        break;
    }
  }
  return out.bytes();
}

/**
 * Key left, value right on one line when both fit with a space between;
 * otherwise the key (wrapped) and then the value right-aligned below it.
 * Padding is spaces, so the line stays left-justified.
 */
function keyValueLines(key: Glyph[], value: Glyph[], columns: number): Glyph[][] {
  const gap = columns - columnsOf(key) - columnsOf(value);
  if (gap >= 1) return [[...key, ...spaces(gap), ...value]];
  const valueLines = wrapGlyphs(value, columns).map((line) => [...spaces(columns - columnsOf(line)), ...line]);
  return [...wrapGlyphs(key, columns), ...valueLines];
}
