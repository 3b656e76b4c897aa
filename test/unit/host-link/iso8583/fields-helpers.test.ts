import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AccountType,
  TransactionType,
  amountN12,
  formatBalances,
  localDate,
  localTime,
  originalDataElements,
  parseBalances,
  parseOriginalDataElements,
  parseProcessingCode,
  parseReplacementAmounts,
  processingCode,
  replacementAmounts,
  transmissionDateTime,
  type Balance,
} from '../../../../main/host-link/iso8583/index.js';
import { WITHDRAWAL_0200_FIELDS } from '../../../fixtures/iso8583/withdrawal-0200.js';

const badField = (field: number) => expect.objectContaining({ name: 'IsoFormatError', code: 'badField', field });

describe('field helpers', () => {
  describe('DE7/12/13 from an injected instant', () => {
    const at = Date.UTC(2026, 10, 24, 12, 0, 0);

    it('reproduces the worked 0200: GMT for DE7, Shanghai (+8h) for DE12/13', () => {
      expect(transmissionDateTime(at)).toBe(WITHDRAWAL_0200_FIELDS.get(7));
      expect(localTime(at, 480)).toBe(WITHDRAWAL_0200_FIELDS.get(12));
      expect(localDate(at, 480)).toBe(WITHDRAWAL_0200_FIELDS.get(13));
    });

    it('rolls the local date over midnight and the year end', () => {
      const newYearsEve = Date.UTC(2026, 11, 31, 17, 30, 5);
      expect(transmissionDateTime(newYearsEve)).toBe('1231173005');
      expect(localTime(newYearsEve, 480)).toBe('013005');
      expect(localDate(newYearsEve, 480)).toBe('0101');
      expect(localDate(newYearsEve, -300)).toBe('1231');
    });

    it('refuses an invalid instant', () => {
      expect(() => transmissionDateTime(Number.NaN)).toThrow(badField(7));
    });
  });

  it('DE4 amount n12 from minor units', () => {
    expect(amountN12(50_000)).toBe('000000050000');
    expect(amountN12(0)).toBe('000000000000');
    expect(amountN12(999_999_999_999)).toBe('999999999999');
    for (const bad of [-1, 1.5, 1e12, Number.NaN]) expect(() => amountN12(bad)).toThrow(badField(4));
  });

  it('DE3 processing codes', () => {
    expect(processingCode(TransactionType.withdrawal, AccountType.savings)).toBe('011000');
    expect(processingCode(TransactionType.balanceInquiry)).toBe('310000');
    expect(processingCode(TransactionType.transfer, AccountType.savings, AccountType.cheque)).toBe('401020');
    expect(parseProcessingCode('401020')).toEqual({ type: '40', from: '10', to: '20' });
    expect(() => parseProcessingCode('4010')).toThrow(badField(3));
  });

  describe('DE54 balances', () => {
    it('parses repeating 20-character groups, D as negative', () => {
      const de54 = '1001156C000000123456' + '1002156D000000000100';
      expect(parseBalances(de54)).toEqual([
        { accountType: '10', amountType: '01', currency: '156', amountMinor: 123_456 },
        { accountType: '10', amountType: '02', currency: '156', amountMinor: -100 },
      ]);
      expect(parseBalances('')).toEqual([]);
    });

    it.each(['1001156C00000012345', '1001156X000000123456', '1001156C00000012345A', '10X1156C000000123456'])('refuses %j', (de54) => {
      expect(() => parseBalances(de54)).toThrow(badField(54));
    });

    it('formatBalances is its inverse', () => {
      const balance = fc.record({
        accountType: fc.constantFrom('00', '10', '20', '30'),
        amountType: fc.constantFrom('01', '02'),
        currency: fc.constantFrom('156', '840', 'CNY'),
        amountMinor: fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }),
      });
      fc.assert(
        fc.property(fc.array(balance, { maxLength: 6 }), (balances: Balance[]) => {
          const de54 = formatBalances(balances);
          expect(de54).toHaveLength(20 * balances.length);
          expect(parseBalances(de54)).toEqual(balances);
        }),
      );
    });
  });

  describe('DE90 original data elements', () => {
    const original = { mti: '0200', stan: '000123', transmissionDateTime: '1124120000', acquirerId: '12345678' };

    it('packs origMTI, STAN, DE7 and zero-filled institution ids into n42', () => {
      const de90 = originalDataElements(original);
      expect(de90).toBe('0200' + '000123' + '1124120000' + '00012345678' + '00000000000');
      expect(parseOriginalDataElements(de90)).toEqual({ ...original, acquirerId: '00012345678', forwarderId: '00000000000' });
    });

    it.each([
      { ...original, stan: '123' },
      { ...original, mti: '020A' },
      { ...original, acquirerId: '123456789012' },
    ])('refuses %j', (bad) => {
      expect(() => originalDataElements(bad)).toThrow(badField(90));
    });
  });

  describe('DE95 replacement amounts', () => {
    it('partial dispense: amount dispensed, zero settlement and fees', () => {
      const de95 = replacementAmounts({ transactionMinor: 30_000 });
      expect(de95).toBe('000000030000' + '000000000000' + 'C00000000' + 'C00000000');
      expect(de95).toHaveLength(42);
      expect(parseReplacementAmounts(de95)).toEqual({ transactionMinor: 30_000, settlementMinor: 0, transactionFeeMinor: 0, settlementFeeMinor: 0 });
    });

    it('signs fees C/D and round-trips', () => {
      const amounts = { transactionMinor: 1, settlementMinor: 2, transactionFeeMinor: -350, settlementFeeMinor: 200 };
      expect(replacementAmounts(amounts).slice(24)).toBe('D00000350C00000200');
      expect(parseReplacementAmounts(replacementAmounts(amounts))).toEqual(amounts);
    });

    it('refuses bad input', () => {
      expect(() => replacementAmounts({ transactionMinor: 1, transactionFeeMinor: 1e9 })).toThrow(badField(95));
      expect(() => parseReplacementAmounts('0'.repeat(41))).toThrow(badField(95));
      expect(() => parseReplacementAmounts('0'.repeat(24) + 'X00000000C00000000')).toThrow(badField(95));
    });
  });
});
