import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/**
 * A message from the catalogue (`data.message`): a refusal, a failure or an
 * outcome such as a pending transfer, with what the customer can do about it,
 * the amount concerned and any options the runtime offers (`transfer.revoke`).
 */
export function Notice({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const message = view.data.message ?? 'notice.generic';
  return (
    <ScreenFrame screen="notice" title={t(message, { defaultValue: t('notice.generic') })} alert>
      <AmountLine view={view} label={t('confirm.amount')} />
      <p className="prompt todo" data-message={message}>
        <span className="todo-label">{t('notice.whatToDo')}</span> {t(`todo.${message}`, { defaultValue: t('todo.notice.generic') })}
      </p>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
