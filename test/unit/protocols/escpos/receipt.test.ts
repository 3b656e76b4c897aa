import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { columnsOf, toGlyphs, wrapGlyphs } from '../../../../drivers/protocols/escpos/glyphs.js';
import { composeReceipt, type ReceiptBlock } from '../../../../drivers/protocols/escpos/receipt.js';
import { gb18030Encoder } from '../../../../main/receipts/gb18030.js';
import * as golden from '../../../fixtures/escpos/golden.js';
import { printOnPaper } from './escpos-paper.js';

const compose = (blocks: ReceiptBlock[], columns = 42): number[] => [
  ...composeReceipt({ blocks }, { columns, encodeText: gb18030Encoder }),
];
const LF = 0x0a;
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const PROLOGUE = [...golden.INIT, ...golden.LEAVE_CHINESE];

describe('receipt composer bytes', () => {
  it('starts from a known state: ESC @ then FS .', () => {
    expect(compose([])).toEqual(PROLOGUE);
  });

  it('emits alignment, bold and size only when they change', () => {
    expect(
      compose([
        { kind: 'text', text: 'AB', bold: true, size: 'double', align: 'center' },
        { kind: 'text', text: 'CD', bold: true, size: 'double', align: 'center' },
        { kind: 'text', text: 'E' },
      ]),
    ).toEqual([
      ...PROLOGUE,
      ...golden.ALIGN_CENTER,
      ...golden.BOLD_ON,
      ...golden.DOUBLE_SIZE,
      ...ascii('AB'),
      LF,
      ...ascii('CD'),
      LF,
      0x1b,
      0x61,
      0x00,
      ...golden.BOLD_OFF,
      ...golden.NORMAL_SIZE,
      ...ascii('E'),
      LF,
    ]);
  });

  it('wraps Chinese text in FS & … FS . as GB18030 (中 = D6 D0, 文 = CE C4)', () => {
    const bytes = compose([{ kind: 'text', text: '中文' }]);
    expect(bytes).toEqual([
      ...PROLOGUE,
      ...golden.ENTER_CHINESE,
      ...golden.GB18030.zhong,
      ...golden.GB18030.wen,
      ...golden.LEAVE_CHINESE,
      LF,
    ]);
    expect(bytes.slice(PROLOGUE.length + 2, -3)).toEqual([...iconv.encode('中文', 'gb18030')]);
  });

  it('mixes ASCII and Chinese on one line and matches iconv-lite byte for byte', () => {
    const text = '银行 ATM 001';
    const bytes = compose([{ kind: 'text', text }]);
    expect(bytes.slice(PROLOGUE.length)).toEqual([
      ...golden.ENTER_CHINESE,
      ...iconv.encode(text, 'gb18030'),
      ...golden.LEAVE_CHINESE,
      LF,
    ]);
    expect(bytes.slice(PROLOGUE.length + 2, PROLOGUE.length + 6)).toEqual([
      ...golden.GB18030.yin,
      ...golden.GB18030.hang,
    ]);
  });

  it('replaces control characters and four-byte GB18030 codes with ?', () => {
    // ESC inside text would be a command; ¥ and 😀 are four-byte codes printer fonts lack.
    expect(compose([{ kind: 'text', text: 'a\x1bb¥😀' }]).slice(PROLOGUE.length)).toEqual([...ascii('a?b??'), LF]);
  });

  it('fits key-value rows to the width, counting Chinese as two columns', () => {
    const bytes = compose([{ kind: 'keyValue', key: '金额', value: 'CNY 1.00' }], 20);
    // 2 × 2 columns + 8 + 8 spaces = 20.
    expect(bytes.slice(PROLOGUE.length)).toEqual([
      ...golden.ENTER_CHINESE,
      ...iconv.encode('金额', 'gb18030'),
      ...ascii(' '.repeat(8) + 'CNY 1.00'),
      ...golden.LEAVE_CHINESE,
      LF,
    ]);
  });

  it('puts a value that does not fit on its own right-aligned line', () => {
    const [line1, line2] =
      printOnPaper(
        Uint8Array.from(compose([{ kind: 'keyValue', key: 'Reference number', value: '1234567890' }], 20)),
      )[0]?.lines ?? [];
    expect(line1).toEqual({
      kind: 'text',
      runs: [
        expect.objectContaining({ column: 0, text: 'Reference' }),
        expect.objectContaining({ column: 10, text: 'number' }),
      ],
    });
    expect(line2).toEqual({ kind: 'text', runs: [expect.objectContaining({ column: 10, text: '1234567890' })] });
  });

  it('separator, QR (centred, then LF), feed and cut', () => {
    expect(
      compose(
        [
          { kind: 'separator' },
          { kind: 'qr', data: 'AB', moduleSize: 6, errorCorrection: 'M' },
          { kind: 'feed', lines: 3 },
          { kind: 'cut', partial: true },
        ],
        8,
      ),
    ).toEqual([
      ...PROLOGUE,
      ...ascii('--------'),
      LF,
      ...golden.ALIGN_CENTER,
      ...golden.QR_AB_MODEL2_SIZE6_M,
      LF,
      ...golden.FEED_3,
      ...golden.PARTIAL_CUT,
    ]);
  });

  it('refuses QR data that is not printable ASCII', () => {
    expect(() => compose([{ kind: 'qr', data: '中' }])).toThrow(RangeError);
    expect(() => compose([{ kind: 'qr', data: '' }])).toThrow(RangeError);
  });
});

describe('glyph widths and wrapping', () => {
  it('counts ASCII as one column and two-byte GB18030 as two', () => {
    expect(columnsOf(toGlyphs('ATM 中国银行', gb18030Encoder))).toEqual(4 + 8);
  });

  it('wraps at spaces for words and anywhere for Chinese', () => {
    const lines = (text: string, width: number): string[] =>
      wrapGlyphs(toGlyphs(text, gb18030Encoder), width).map((l) =>
        iconv.decode(Buffer.concat(l.map((g) => g.bytes)), 'gb18030'),
      );
    expect(lines('please keep this receipt', 10)).toEqual(['please', 'keep this', 'receipt']);
    expect(lines('请妥善保管本凭条', 6)).toEqual(['请妥善', '保管本', '凭条']);
    expect(lines('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    // A two-column character never straddles the edge.
    expect(lines('a中文', 4)).toEqual(['a中', '文']);
  });
});
