/** Field formatting for printed receipts: masked card number, money, local time. */

/** What a receipt may show of a card number: the BIN and the last four digits. */
export interface MaskedPan {
  readonly first6: string;
  readonly last4: string;
  /** Total PAN length, so the number of masked digits is right. */
  readonly length: number;
}

/** Keeps only first 6 and last 4 digits (PCI DSS 3.4 display rule); the rest never leaves this function. */
export function maskPan(pan: string): MaskedPan {
  if (!/^\d{12,19}$/.test(pan)) throw new RangeError('a PAN has 12 to 19 digits');
  return { first6: pan.slice(0, 6), last4: pan.slice(-4), length: pan.length };
}

export function formatMaskedPan(masked: MaskedPan): string {
  if (!/^\d{6}$/.test(masked.first6) || !/^\d{4}$/.test(masked.last4) || masked.length < 12 || masked.length > 19) {
    throw new RangeError('invalid masked PAN');
  }
  return `${masked.first6}${'*'.repeat(masked.length - 10)}${masked.last4}`;
}

/** ISO 4217 minor-unit exponents of the currencies a kiosk may print; others are refused. */
const EXPONENTS: Readonly<Record<string, number>> = { CNY: 2, HKD: 2, MOP: 2, USD: 2, EUR: 2, GBP: 2, JPY: 0, KRW: 0 };

/** `123456, CNY` → `CNY 1,234.56`. Plain ASCII: the ¥ sign is a four-byte GB18030 code printers lack. */
export function formatAmount(minor: number, currency: string): string {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new RangeError(`no exponent known for ${currency}`);
  if (!Number.isSafeInteger(minor)) throw new RangeError('amount must be an integer of minor units');
  const sign = minor < 0 ? '-' : '';
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = exponent > 0 ? `.${digits.slice(-exponent)}` : '';
  return `${currency} ${sign}${whole}${fraction}`;
}

/** `YYYY-MM-DD HH:mm:ss` at a fixed UTC offset (minutes; China is +480), independent of the host's zone. */
export function formatLocalDateTime(epochMs: number, utcOffsetMinutes: number): string {
  const t = new Date(epochMs + utcOffsetMinutes * 60_000);
  const two = (n: number): string => n.toString().padStart(2, '0');
  return (
    `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())} ` +
    `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}`
  );
}
