import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ScreenAction } from '../model/screen-actions.js';
import { ActionButtons } from './ActionButtons.js';

/** "Need more time?" over the screen; the screen beneath is inert until it is answered. */
export function MoreTimeDialog({
  actions,
  send,
}: {
  actions: readonly ScreenAction[];
  send: (intent: Intent) => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialog.current?.querySelector('button')?.focus();
  }, []);
  return (
    <div className="overlay">
      <div
        ref={dialog}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="more-time-title"
        aria-describedby="more-time-body"
        data-dialog="moreTime"
      >
        <h2 id="more-time-title">{t('moreTime.title')}</h2>
        <p id="more-time-body">{t('moreTime.body')}</p>
        <ActionButtons actions={actions} send={send} primary="moreTime.yes" />
      </div>
    </div>
  );
}
