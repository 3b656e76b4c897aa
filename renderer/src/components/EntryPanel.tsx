import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { submitEntry, type EntryKind } from '../model/entry.js';
import type { ScreenProps } from '../screens/types.js';
import { Keypad } from './Keypad.js';
import { Message } from './Message.js';
import { useLabels } from './use-labels.js';

/** Account numbers read in groups of four, as printed on cards. */
function groupDigits(entry: string): string {
  return entry.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function shown(kind: EntryKind, entry: string, view: SessionView, money: (minor: number) => string): string {
  if (kind === 'payeeAccount') return groupDigits(entry);
  const intent = submitEntry(entry, kind, view.data);
  return intent?.type === 'ui.amountEntered' ? money(intent.amountMinor) : '';
}

/** The typed value, its hints and the touch keypad; confirming sends what `submitEntry` makes of it. */
export function EntryPanel({
  kind,
  label,
  hints,
  view,
  send,
  entry,
  onEntryKey,
}: Pick<ScreenProps, 'view' | 'send' | 'entry' | 'onEntryKey'> & {
  kind: EntryKind;
  label: string;
  hints: readonly string[];
}): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const intent = submitEntry(entry, kind, view.data);
  return (
    <div className="entry-panel">
      <div className="entry-side">
        <label className="entry-label" htmlFor="entry-value">
          {label}
        </label>
        <output id="entry-value" className={entry ? 'entry-value' : 'entry-value empty'} data-entry={entry} aria-live="polite">
          {shown(kind, entry, view, labels.money) || t('entry.empty')}
        </output>
        <ul className="hints">
          {hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
        <Message message={view.data.message} />
      </div>
      <Keypad
        onKey={onEntryKey}
        onConfirm={() => intent && send(intent)}
        canConfirm={intent !== undefined}
        doubleZero={kind === 'amount'}
      />
    </div>
  );
}
