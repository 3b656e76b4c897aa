import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { composeReceipt, type ReceiptBlock } from '../../../../drivers/protocols/escpos/receipt.js';
import { gb18030Encoder } from '../../../../main/receipts/gb18030.js';
import { parseStream, printOnPaper } from './escpos-paper.js';

// Characters from every class the composer treats differently: ASCII, GBK Chinese,
// Latin letters GB18030 codes in two bytes, four-byte codes, emoji, controls.
const char = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  ' ',
  '-',
  '中',
  '文',
  '银',
  '行',
  '额',
  'é',
  '€',
  '¥',
  '😀',
  '\x1b',
  '\x10',
  '\t',
  '\n',
);
const text = fc.string({ unit: char, maxLength: 60 });
const align = fc.constantFrom('left' as const, 'center' as const, 'right' as const);
const block: fc.Arbitrary<ReceiptBlock> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    text,
    bold: fc.boolean(),
    size: fc.constantFrom('normal' as const, 'double' as const, 'doubleWidth' as const, 'doubleHeight' as const),
    align,
  }),
  fc.record({ kind: fc.constant('separator' as const), char: fc.constantFrom('-', '=', '*') }),
  fc.record({ kind: fc.constant('keyValue' as const), key: text, value: text, bold: fc.boolean() }),
  fc.record({
    kind: fc.constant('qr' as const),
    data: fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 300,
    }),
    moduleSize: fc.integer({ min: 1, max: 16 }),
    errorCorrection: fc.constantFrom('L' as const, 'M' as const, 'Q' as const, 'H' as const),
    align,
  }),
  fc.record({ kind: fc.constant('feed' as const), lines: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('cut' as const), partial: fc.boolean() }),
);
const columns = fc.integer({ min: 16, max: 64 });

/**
 * What should become visible of a text: spaces dropped, unprintables as `?`
 * (oracle: iconv-lite). Only text blocks take `\n` as a line break.
 */
function visible(s: string, lineBreaks = false): string {
  return [...(lineBreaks ? s.replace(/\n/g, '') : s)]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      if (code >= 0x20 && code <= 0x7e) return c;
      return code >= 0x80 && iconv.encode(c, 'gb18030').length === 2 ? c : '?';
    })
    .join('')
    .replace(/ /g, '');
}

describe('random receipt documents', () => {
  it('compose to bytes the simulator consumes completely, with no unknown command', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), columns, (blocks, width) => {
        const bytes = composeReceipt({ blocks }, { columns: width, encodeText: gb18030Encoder });
        const { commands, consumed } = parseStream(bytes);
        expect(consumed).toBe(bytes.length);
        expect(commands.filter((c) => c.kind === 'unknown')).toEqual([]);
      }),
    );
  });

  it('print every character of their text, in order, within the line width', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), columns, (blocks, width) => {
        const printed = printOnPaper(composeReceipt({ blocks }, { columns: width, encodeText: gb18030Encoder }), width);
        const lines = printed.flatMap((t) => t.lines);
        const seen = lines.flatMap((l) => (l.kind === 'text' ? l.runs.map((r) => r.text) : [])).join('');
        const expected = blocks
          .map((b) =>
            b.kind === 'text'
              ? visible(b.text, true)
              : b.kind === 'keyValue'
                ? visible(b.key) + visible(b.value)
                : b.kind === 'separator'
                  ? (b.char ?? '-').repeat(width)
                  : '',
          )
          .join('');
        expect(seen).toEqual(expected);
        expect(lines.filter((l) => l.kind === 'qr').map((l) => l.data)).toEqual(
          blocks.flatMap((b) => (b.kind === 'qr' ? [b.data] : [])),
        );
        // The composer wraps; the printer never has to (a wrapped line would end past the width).
        for (const line of lines) {
          if (line.kind !== 'text') continue;
          for (const run of line.runs) {
            const runColumns = [...run.text].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2) * run.width, 0);
            expect(run.column + runColumns).toBeLessThanOrEqual(width);
          }
        }
      }),
    );
  });
});
