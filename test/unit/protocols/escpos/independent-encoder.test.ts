import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { describe, expect, it } from 'vitest';
import { composeReceipt } from '../../../../drivers/protocols/escpos/receipt.js';
import { gb18030Encoder } from '../../../../main/receipts/gb18030.js';
import type { Ticket } from '../../../../simulators/printer-escpos/paper.js';
import { parseStream, printOnPaper } from './escpos-paper.js';

/*
 * The same simple English receipt built by our composer and by
 * @point-of-sale/receipt-printer-encoder 4.0.1 (ESC/POS, 42 columns, LF
 * newlines, no images). The two differ in form, legitimately:
 *  - the encoder centres and right-aligns text by padding with spaces; we use
 *    ESC a (which the printer applies to the line);
 *  - it selects a code table (ESC t 0) before text and sets font A (ESC M 0)
 *    at init; we print only ASCII and GB18030 in Chinese mode, so need neither;
 *  - it switches bold/size off after every line; we switch modes only when
 *    the next line needs a different one;
 *  - it ends the cut with an LF (an empty line on the next ticket).
 * So the raw streams are compared command by command where the form is fixed
 * by the standard (QR, cut, init), and as a whole by what they print.
 */

const COLUMNS = 42;
const URL = 'https://e.bank.example/r/20260101-000123';

function ours(): Uint8Array {
  return composeReceipt(
    {
      blocks: [
        { kind: 'text', text: 'KIOSK BANK', bold: true, size: 'double', align: 'center' },
        { kind: 'text', text: 'Transaction record', align: 'center' },
        { kind: 'separator' },
        { kind: 'keyValue', key: 'Amount', value: 'CNY 100.00' },
        { kind: 'keyValue', key: 'Reference', value: '000123', bold: true },
        { kind: 'text', text: 'Thank you', align: 'right' },
        { kind: 'qr', data: URL, moduleSize: 6, errorCorrection: 'M' },
        { kind: 'cut', partial: true },
      ],
    },
    { columns: COLUMNS, encodeText: gb18030Encoder },
  );
}

function theirs(): Uint8Array {
  const halves = [
    { width: COLUMNS / 2, align: 'left' as const },
    { width: COLUMNS / 2, align: 'right' as const },
  ];
  return new ReceiptPrinterEncoder({ language: 'esc-pos', columns: COLUMNS, newline: '\n', feedBeforeCut: 0 })
    .initialize()
    .align('center')
    .bold(true)
    .size(2, 2)
    .line('KIOSK BANK')
    .size(1, 1)
    .bold(false)
    .line('Transaction record')
    .align('left')
    .line('-'.repeat(COLUMNS))
    .table(halves, [['Amount', 'CNY 100.00']])
    .bold(true)
    .table(halves, [['Reference', '000123']])
    .bold(false)
    .align('right')
    .line('Thank you')
    .align('center')
    .qrcode(URL, { model: 2, size: 6, errorlevel: 'm' })
    .align('left')
    .cut('partial')
    .encode();
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Drops the blank remainder the encoder's LF after the cut leaves on the next ticket. */
const withoutBlankTail = (tickets: Ticket[]): Ticket[] =>
  tickets.filter((t) => t.cut !== 'none' || t.lines.some((l) => l.kind === 'qr' || l.runs.length > 0));

describe('our composer against @point-of-sale/receipt-printer-encoder', () => {
  it('both streams are fully understood by the simulator parser', () => {
    for (const bytes of [ours(), theirs()]) {
      const { commands, consumed } = parseStream(bytes);
      expect(consumed).toBe(bytes.length);
      expect(commands.filter((c) => c.kind === 'unknown')).toEqual([]);
    }
  });

  it('the raw bytes differ only in form (documented above)', () => {
    expect(hex(ours())).not.toEqual(hex(theirs()));
  });

  it('QR, cut and init commands are byte-identical', () => {
    const fixedForm = (bytes: Uint8Array): string[] => {
      const parsed = parseStream(bytes).commands;
      return parsed
        .filter((c) => c.kind === 'qr' || c.kind === 'cut' || c.kind === 'initialize')
        .map((c) => JSON.stringify(c));
    };
    expect(fixedForm(ours())).toEqual(fixedForm(theirs()));
    expect(fixedForm(ours())).toHaveLength(7); // init, 5 QR functions, cut
  });

  it('the text glyphs come in the same order', () => {
    const glyphs = (bytes: Uint8Array): string =>
      parseStream(bytes)
        .commands.flatMap((c) => (c.kind === 'glyph' ? [String.fromCharCode(...c.bytes)] : []))
        .join('')
        .replace(/ /g, '');
    expect(glyphs(ours())).toEqual(glyphs(theirs()));
  });

  it('they print the same receipt: text at the same columns, same bold and size, same QR, same cut', () => {
    const mine = printOnPaper(ours(), COLUMNS);
    expect(withoutBlankTail(printOnPaper(theirs(), COLUMNS))).toEqual(mine);
    // And the comparison is not vacuous:
    expect(mine).toHaveLength(1);
    expect(mine[0]?.cut).toBe('partial');
    expect(mine[0]?.lines[0]).toEqual({
      kind: 'text',
      runs: [
        { column: 11, text: 'KIOSK', bold: true, width: 2, height: 2 },
        { column: 23, text: 'BANK', bold: true, width: 2, height: 2 },
      ],
    });
    expect(mine[0]?.lines).toContainEqual({
      kind: 'qr',
      data: URL,
      model: 2,
      moduleSize: 6,
      errorCorrection: 'M',
      align: 'center',
    });
  });
});
