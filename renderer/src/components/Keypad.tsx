import { useTranslation } from 'react-i18next';
import type { EntryKey } from '../model/entry.js';

const DIGITS: readonly EntryKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * The touch keypad for amounts and account numbers. It only edits the entry;
 * the screen decides what confirming sends. The PIN is never typed here.
 */
export function Keypad({
  onKey,
  onConfirm,
  canConfirm,
  doubleZero,
}: {
  onKey: (key: EntryKey) => void;
  onConfirm: () => void;
  canConfirm: boolean;
  /** Amounts get a "00" key; account numbers do not. */
  doubleZero: boolean;
}): React.JSX.Element {
  const { t } = useTranslation();
  const key = (k: EntryKey, label: string = k, name?: string): React.JSX.Element => (
    <button key={k} type="button" className="key" data-key={k} aria-label={name} onClick={() => onKey(k)}>
      {label}
    </button>
  );
  return (
    <div className="keypad" role="group" aria-label={t('keypad.label')}>
      {DIGITS.map((d) => key(d))}
      {doubleZero ? key('00') : key('clear', t('keypad.clear'))}
      {key('0')}
      {key('back', '⌫', t('keypad.back'))}
      {doubleZero && key('clear', t('keypad.clear'))}
      <button type="button" className={doubleZero ? 'key key-confirm primary span-2' : 'key key-confirm primary span-3'} data-key="enter" disabled={!canConfirm} onClick={onConfirm}>
        {t('action.confirm')}
      </button>
    </div>
  );
}
