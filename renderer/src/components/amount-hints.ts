import type { TFunction } from 'i18next';
import type { ScreenData } from '../../../main/ipc-contract/view.js';

/** "Multiples of 100 元", "At most 5,000 元", "Fee: 2.00 元": what an amount entry must respect. */
export function amountHints(data: ScreenData, t: TFunction, money: (minor: number) => string): string[] {
  const hints: string[] = [];
  if (data.multipleMinor !== undefined) hints.push(t('amountEntry.multiple', { multiple: money(data.multipleMinor) }));
  if (data.maxAmountMinor !== undefined) hints.push(t('amountEntry.max', { max: money(data.maxAmountMinor) }));
  if (data.feeMinor !== undefined) hints.push(t('transfer.fee', { fee: money(data.feeMinor) }));
  return hints;
}
