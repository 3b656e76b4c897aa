import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, minorPerMajor } from '../../../renderer/src/format.js';

// Intl separates the currency code with a no-break space; customers see a space.
const plain = (text: string): string => text.replace(/\u00a0/g, ' ');

describe('money and dates per locale', () => {
  it('writes yuan the Chinese way and CNY the English way, from minor units', () => {
    expect(formatMoney(100_000, 'CNY', 'zh-CN')).toBe('1,000.00 元');
    expect(plain(formatMoney(100_000, 'CNY', 'en'))).toBe('CNY 1,000.00');
    expect(formatMoney(5, 'CNY', 'zh-CN')).toBe('0.05 元');
    expect(plain(formatMoney(123_456_789, 'CNY', 'en'))).toBe('CNY 1,234,567.89');
  });

  it('follows the currency’s own minor unit', () => {
    expect(minorPerMajor('CNY')).toBe(100);
    expect(minorPerMajor('JPY')).toBe(1);
    expect(plain(formatMoney(1500, 'JPY', 'en'))).toBe('JPY 1,500');
    expect(plain(formatMoney(1500, 'USD', 'zh-CN'))).toBe('USD 15.00');
  });

  it('writes ISO dates per locale without a time-zone shift, and passes bad ones through', () => {
    expect(formatDate('2025-03-04', 'zh-CN')).toBe('2025年3月4日');
    expect(formatDate('2025-03-04', 'en')).toBe('Mar 4, 2025');
    expect(formatDate('not a date', 'en')).toBe('not a date');
  });
});
