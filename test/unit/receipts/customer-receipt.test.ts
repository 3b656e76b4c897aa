import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { composeReceipt } from '../../../drivers/protocols/escpos/receipt.js';
import { customerReceipt, type CustomerReceiptData } from '../../../main/receipts/customer-receipt.js';
import { gb18030Encoder } from '../../../main/receipts/gb18030.js';
import { formatAmount, formatLocalDateTime, formatMaskedPan, maskPan } from '../../../main/receipts/receipt-format.js';
import { ticketText } from '../../../simulators/printer-escpos/paper.js';
import { printOnPaper } from '../protocols/escpos/escpos-paper.js';

const PAN = '6228480987654321012';
const data: CustomerReceiptData = {
  type: 'withdrawal',
  card: maskPan(PAN),
  amount: 123456,
  balance: 9876500,
  currency: 'CNY',
  reference: '600123456789',
  trace: '000321',
  authCode: 'A1B2C3',
  eReceiptUrl: 'https://e.bank.example/r/600123456789',
};
// 2026-01-01T00:00:00Z = 08:00 in Beijing.
const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));

function printed(language: 'zh-CN' | 'en', fields = data): string[] {
  const document = customerReceipt(fields, {
    bankName: language === 'en' ? 'Kiosk Bank' : '自助银行',
    kioskId: 'ATM-0042',
    language,
    clock,
  });
  const tickets = printOnPaper(composeReceipt(document, { columns: 42, encodeText: gb18030Encoder }));
  return tickets.flatMap(ticketText);
}

describe('receipt fields', () => {
  it('masks the PAN to first 6 and last 4', () => {
    expect(formatMaskedPan(maskPan(PAN))).toBe('622848*********1012');
    expect(() => maskPan('1234')).toThrow(RangeError);
  });

  it('formats money from minor units', () => {
    expect(formatAmount(123456, 'CNY')).toBe('CNY 1,234.56');
    expect(formatAmount(5, 'CNY')).toBe('CNY 0.05');
    expect(formatAmount(-100000000, 'USD')).toBe('USD -1,000,000.00');
    expect(formatAmount(1500, 'JPY')).toBe('JPY 1,500');
    expect(() => formatAmount(1.5, 'CNY')).toThrow(RangeError);
    expect(() => formatAmount(1, 'XXX')).toThrow(RangeError);
  });

  it('formats local time at a fixed offset', () => {
    expect(formatLocalDateTime(Date.UTC(2026, 0, 1, 16, 5, 9), 480)).toBe('2026-01-02 00:05:09');
  });
});

/** A key-value line of 42 columns, Chinese counting two. */
const width = (s: string): number => [...s].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2), 0);
const row = (key: string, value: string): string => key + ' '.repeat(42 - width(key) - width(value)) + value;

describe('customer receipt', () => {
  it('prints the zh-CN receipt with the card masked and the QR code', () => {
    const lines = printed('zh-CN');
    expect(lines).toContain(row('卡号', '622848*********1012'));
    expect(lines).toContain(row('交易时间', '2026-01-01 08:00:00'));
    expect(lines).toContain(row('交易类型', '取款'));
    expect(lines).toContain(row('交易金额', 'CNY 1,234.56'));
    expect(lines).toContain(row('可用余额', 'CNY 98,765.00'));
    expect(lines).toContain('[QR https://e.bank.example/r/600123456789]');
    expect(lines.join('\n')).not.toContain(PAN.slice(6, -4));
  });

  it('prints the English receipt, without balance or QR when absent', () => {
    const { balance: _b, eReceiptUrl: _u, ...rest } = data;
    const lines = printed('en', { ...rest, type: 'deposit' });
    expect(lines).toContain(row('Transaction', 'Deposit'));
    expect(lines).toContain(row('Reference', '600123456789'));
    expect(lines.some((l) => l.includes('balance'))).toBe(false);
    expect(lines.some((l) => l.startsWith('[QR'))).toBe(false);
  });

  it('prints a mini-statement line by line, debits signed', () => {
    const { amount: _a, ...rest } = data;
    const lines = printed('zh-CN', {
      ...rest,
      type: 'miniStatement',
      statement: [
        { date: '2026-11-25', description: 'ATM', amountMinor: -50_000 },
        { date: '2026-11-24', description: 'SALARY', amountMinor: 1_234_500 },
      ],
    });
    expect(lines).toContain(row('交易类型', '交易明细'));
    expect(lines).toContain(row('2026-11-25 ATM', '-CNY 500.00'));
    expect(lines).toContain(row('2026-11-24 SALARY', '+CNY 12,345.00'));
  });
});
