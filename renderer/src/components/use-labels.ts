import { useTranslation } from 'react-i18next';
import type { NoteCount, SessionView } from '../../../main/ipc-contract/view.js';
import { formatMoney } from '../format.js';
import { SCREEN_TRAITS, type ScreenAction } from '../model/screen-actions.js';

export interface Labels {
  /** An amount in minor units, in the view's currency and language. */
  money(amountMinor: number): string;
  notes(notes: readonly NoteCount[]): string;
  action(action: ScreenAction): string;
}

/** How amounts, note lists and action buttons read in the view's language. */
export function useLabels(view: SessionView): Labels {
  const { t } = useTranslation();
  const currency = view.data.currency ?? 'CNY';
  const money = (amountMinor: number): string => formatMoney(amountMinor, currency, view.language);
  const notes = (list: readonly NoteCount[]): string =>
    list.map((n) => t('notes.count', { n: n.count, value: money(n.valueMinor) })).join(' + ');
  const action = (a: ScreenAction): string => {
    if (a.id === 'confirm') return t(SCREEN_TRAITS[view.screen].confirm ?? 'action.confirm');
    const fastCash = /^amount\.(\d+)$/.exec(a.id)?.[1];
    if (fastCash) return money(Number(fastCash));
    const mix = view.data.noteMixes?.find((m) => m.option === a.id);
    if (mix) return notes(mix.notes);
    return t(`option.${a.id}`, { defaultValue: a.id });
  };
  return { money, notes, action };
}
