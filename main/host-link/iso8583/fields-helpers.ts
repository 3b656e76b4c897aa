/**
 * Pure builders and parsers for the structured ATM fields (host-crypto.md §1.2-1.4). Time comes in
 * as arguments: the caller owns the clock, so messages are reproducible in tests and journals.
 * Amounts are integers in minor units (CNY fen).
 */
import { IsoFormatError } from './errors.js';

const DIGITS = /^[0-9]*$/;

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

function utcParts(epochMs: number, field: number): Date {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) throw new IsoFormatError('badField', field, 'not a valid timestamp');
  return date;
}

/** DE7 transmission date and time, MMDDhhmmss in GMT. */
export function transmissionDateTime(epochMs: number): string {
  const d = utcParts(epochMs, 7);
  return two(d.getUTCMonth() + 1) + two(d.getUTCDate()) + two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds());
}

/** DE12 local transaction time hhmmss; `utcOffsetMinutes` is the terminal's zone (+480 for China). */
export function localTime(epochMs: number, utcOffsetMinutes: number): string {
  const d = utcParts(epochMs + utcOffsetMinutes * 60_000, 12);
  return two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds());
}

/** DE13 local transaction date MMDD. */
export function localDate(epochMs: number, utcOffsetMinutes: number): string {
  const d = utcParts(epochMs + utcOffsetMinutes * 60_000, 13);
  return two(d.getUTCMonth() + 1) + two(d.getUTCDate());
}

/** Zero-filled unsigned amount of `width` digits. */
function unsigned(minor: number, width: number, field: number): string {
  const text = Number.isSafeInteger(minor) && minor >= 0 ? String(minor) : '';
  if (text === '' || text.length > width) throw new IsoFormatError('badField', field, `amount does not fit n${width}`);
  return text.padStart(width, '0');
}

/** x+n amount: C for zero or credit, D for debit (negative). */
function signed(minor: number, digits: number, field: number): string {
  return (minor < 0 ? 'D' : 'C') + unsigned(Math.abs(minor), digits, field);
}

function parseUnsigned(text: string, field: number): number {
  if (text.length === 0 || !DIGITS.test(text)) throw new IsoFormatError('badField', field, 'amount is not digits');
  return Number(text);
}

function parseSigned(text: string, field: number): number {
  const sign = text[0];
  if (sign !== 'C' && sign !== 'D') throw new IsoFormatError('badField', field, 'amount sign is not C or D');
  const value = parseUnsigned(text.slice(1), field);
  return sign === 'D' ? -value : value;
}

/** DE4 (and DE5/6) n12 from minor units: 500.00 CNY → "000000050000". */
export function amountN12(minor: number): string {
  return unsigned(minor, 12, 4);
}

// ---- DE3 processing code -----------------------------------------------------------------------

/** Transaction type, DE3 positions 1-2 (§1.3). PIN change is private: 70 in the Chinese table. */
export const TransactionType = {
  withdrawal: '01',
  deposit: '21',
  availableFunds: '30',
  balanceInquiry: '31',
  transfer: '40',
  pinChange: '70',
} as const;
export type TransactionTypeCode = (typeof TransactionType)[keyof typeof TransactionType];

/** Account type, DE3 positions 3-4 (from) and 5-6 (to). */
export const AccountType = { default: '00', savings: '10', cheque: '20', credit: '30' } as const;
export type AccountTypeCode = (typeof AccountType)[keyof typeof AccountType];

/** DE3 = type + from account + to account, e.g. withdrawal from savings "011000". */
export function processingCode(type: TransactionTypeCode, from: AccountTypeCode = '00', to: AccountTypeCode = '00'): string {
  return type + from + to;
}

/** Splits a DE3 as received; codes outside the kiosk's own tables are returned as they are. */
export function parseProcessingCode(de3: string): { type: string; from: string; to: string } {
  if (de3.length !== 6 || !DIGITS.test(de3)) throw new IsoFormatError('badField', 3, 'not n6');
  return { type: de3.slice(0, 2), from: de3.slice(2, 4), to: de3.slice(4, 6) };
}

// ---- DE54 balances -----------------------------------------------------------------------------

export interface Balance {
  /** Account type, as in DE3 ("10" savings). */
  readonly accountType: string;
  /** "01" ledger, "02" available. */
  readonly amountType: string;
  /** ISO 4217, numeric or alphabetic ("156"). */
  readonly currency: string;
  /** Minor units; negative for a D(ebit) balance. */
  readonly amountMinor: number;
}

const BALANCE_GROUP = 20;
const BALANCE_HEAD = /^[0-9]{4}[0-9A-Z]{3}$/;

/** DE54 as repeating 20-character groups: account type(2) amount type(2) currency(3) C/D(1) amount(12). */
export function parseBalances(de54: string): Balance[] {
  if (de54.length % BALANCE_GROUP !== 0) throw new IsoFormatError('badField', 54, `${de54.length} is not a multiple of 20`);
  const balances: Balance[] = [];
  for (let at = 0; at < de54.length; at += BALANCE_GROUP) {
    const group = de54.slice(at, at + BALANCE_GROUP);
    if (!BALANCE_HEAD.test(group.slice(0, 7))) throw new IsoFormatError('badField', 54, `bad group at ${at}`);
    balances.push({
      accountType: group.slice(0, 2),
      amountType: group.slice(2, 4),
      currency: group.slice(4, 7),
      amountMinor: parseSigned(group.slice(7), 54),
    });
  }
  return balances;
}

/** Inverse of parseBalances, for host simulators and tests. */
export function formatBalances(balances: readonly Balance[]): string {
  return balances
    .map((b) => {
      const head = b.accountType + b.amountType + b.currency;
      if (!BALANCE_HEAD.test(head)) throw new IsoFormatError('badField', 54, 'bad account type, amount type or currency');
      return head + signed(b.amountMinor, 12, 54);
    })
    .join('');
}

// ---- DE90 original data elements ---------------------------------------------------------------

export interface OriginalData {
  /** MTI of the message being reversed ("0200"). */
  readonly mti: string;
  /** Its DE11. */
  readonly stan: string;
  /** Its DE7. */
  readonly transmissionDateTime: string;
  /** Its DE32, up to 11 digits. */
  readonly acquirerId: string;
  /** Its DE33, up to 11 digits; zeros when none. */
  readonly forwarderId?: string;
}

const ORIGINAL_PARTS = [
  ['mti', 4],
  ['stan', 6],
  ['transmissionDateTime', 10],
  ['acquirerId', 11],
  ['forwarderId', 11],
] as const;

/** DE90 n42 for an 0420: origMTI(4) STAN(6) DE7(10) acquirer(11) forwarder(11), ids zero-filled on the left. */
export function originalDataElements(original: OriginalData): string {
  return ORIGINAL_PARTS.map(([key, width]) => {
    const part = original[key] ?? '';
    const fill = key === 'acquirerId' || key === 'forwarderId';
    if (!DIGITS.test(part) || part.length > width || (!fill && part.length !== width)) {
      throw new IsoFormatError('badField', 90, `${key} is not n${width}`);
    }
    return part.padStart(width, '0');
  }).join('');
}

export function parseOriginalDataElements(de90: string): Required<OriginalData> {
  if (de90.length !== 42 || !DIGITS.test(de90)) throw new IsoFormatError('badField', 90, 'not n42');
  return {
    mti: de90.slice(0, 4),
    stan: de90.slice(4, 10),
    transmissionDateTime: de90.slice(10, 20),
    acquirerId: de90.slice(20, 31),
    forwarderId: de90.slice(31, 42),
  };
}

// ---- DE95 replacement amounts ------------------------------------------------------------------

export interface ReplacementAmounts {
  /** Amount actually completed, e.g. the cash dispensed before a fault. */
  readonly transactionMinor: number;
  readonly settlementMinor?: number;
  /** Fees are x+n8: negative is D(ebit), zero or positive C(redit). */
  readonly transactionFeeMinor?: number;
  readonly settlementFeeMinor?: number;
}

/** DE95 an42 for a partial-dispense 0420: n12 n12 x+n8 x+n8; omitted parts are zero. */
export function replacementAmounts(r: ReplacementAmounts): string {
  return (
    unsigned(r.transactionMinor, 12, 95) +
    unsigned(r.settlementMinor ?? 0, 12, 95) +
    signed(r.transactionFeeMinor ?? 0, 8, 95) +
    signed(r.settlementFeeMinor ?? 0, 8, 95)
  );
}

export function parseReplacementAmounts(de95: string): Required<ReplacementAmounts> {
  if (de95.length !== 42) throw new IsoFormatError('badField', 95, 'not 42 characters');
  return {
    transactionMinor: parseUnsigned(de95.slice(0, 12), 95),
    settlementMinor: parseUnsigned(de95.slice(12, 24), 95),
    transactionFeeMinor: parseSigned(de95.slice(24, 33), 95),
    settlementFeeMinor: parseSigned(de95.slice(33, 42), 95),
  };
}
