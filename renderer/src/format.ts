import type { Language } from '../../main/ipc-contract/intents.js';

/**
 * Money and dates for the customer's language. Amounts arrive in minor units
 * with their ISO 4217 code; Chinese customers read "1,000.00 元", English
 * ones "CNY 1,000.00". Formatters are cached: a screen formats many amounts.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (!format) {
    format = make();
    numberFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point for a currency (2 for CNY, 0 for JPY). */
export function minorDigits(currency: string): number {
  return cached(`digits|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions()
    .maximumFractionDigits ?? 2;
}

/** Minor units in one major unit: 100 for CNY. */
export function minorPerMajor(currency: string): number {
  return 10 ** minorDigits(currency);
}

export function formatMoney(amountMinor: number, currency: string, language: Language): string {
  const digits = minorDigits(currency);
  const major = amountMinor / 10 ** digits;
  if (language === 'zh-CN' && currency === 'CNY') {
    const number = cached(`zh|${digits}`, () =>
      new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    );
    return `${number.format(major)} 元`;
  }
  return cached(`${language}|${currency}`, () =>
    new Intl.NumberFormat(language, { style: 'currency', currency, currencyDisplay: 'code' }),
  ).format(major);
}

const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/** An ISO date (YYYY-MM-DD) as the customer writes it; read as UTC so no time zone shifts the day. */
export function formatDate(isoDate: string, language: Language): string {
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dateFormats.set(language, format);
  }
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : format.format(date);
}
