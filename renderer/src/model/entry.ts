import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ScreenData } from '../../../main/ipc-contract/view.js';
import { minorPerMajor } from '../format.js';

/**
 * What a keypad screen collects before it sends anything: the digits the
 * customer has typed (on the touch keypad or the PIN pad). Pure, so the touch
 * keypad and the keyboard share it and node tests cover it.
 */
export type EntryKind = 'amount' | 'payeeAccount';
export type EntryKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | 'back' | 'clear';

/** The schema's ceiling for `ui.amountEntered`, minor units. */
const MAX_AMOUNT_MINOR = 100_000_000;
const DEFAULT_ACCOUNT_DIGITS = 19;

/** Longest entry a screen accepts: the digits of its maximum amount, or the account length. */
export function entryMaxLength(kind: EntryKind, data: ScreenData): number {
  if (kind === 'payeeAccount') return data.maxLength ?? DEFAULT_ACCOUNT_DIGITS;
  const perMajor = minorPerMajor(data.currency ?? 'CNY');
  const maxMajor = Math.floor(Math.min(data.maxAmountMinor ?? MAX_AMOUNT_MINOR, MAX_AMOUNT_MINOR) / perMajor);
  return String(maxMajor).length;
}

export function editEntry(entry: string, key: EntryKey, kind: EntryKind, maxLength: number): string {
  if (key === 'clear') return '';
  if (key === 'back') return entry.slice(0, -1);
  // An amount never starts with zero; an account number may.
  const next = kind === 'amount' && entry === '' ? key.replace(/^0+/, '') : entry + key;
  return next.length <= maxLength ? next : entry;
}

/** The intent the entry makes when the customer confirms, or undefined while it is not a valid answer. */
export function submitEntry(entry: string, kind: EntryKind, data: ScreenData): Intent | undefined {
  if (entry === '') return undefined;
  if (kind === 'payeeAccount') return { type: 'ui.textEntered', field: 'payeeAccount', text: entry };
  const amountMinor = Number(entry) * minorPerMajor(data.currency ?? 'CNY');
  if (amountMinor <= 0 || amountMinor > MAX_AMOUNT_MINOR) return undefined;
  return { type: 'ui.amountEntered', amountMinor };
}
