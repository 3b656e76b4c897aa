import { useTranslation } from 'react-i18next';
import type { Intent } from '../../../main/ipc-contract/intents.js';

/** Cancel, in the same place on every customer step; the PIN pad's Cancel key (Escape) does the same. */
export function CancelBar({ send }: { send: (intent: Intent) => void }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <div className="cancel-bar">
      <button type="button" className="cancel" data-action="cancel" onClick={() => send({ type: 'ui.cancelPressed' })}>
        {t('action.cancel')}
      </button>
      <span className="hint">{t('action.cancelHint')}</span>
    </div>
  );
}
