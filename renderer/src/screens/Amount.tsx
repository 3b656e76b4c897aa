import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** Fast cash: the amounts the runtime offers (fewer in elderly mode), and "other amount". */
export function Amount({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const max = view.data.maxAmountMinor;
  return (
    <ScreenFrame
      screen="amount"
      title={t('amount.title')}
      prompt={max === undefined ? undefined : t('amount.max', { max: labels.money(max) })}
    >
      <Message message={view.data.message} />
      <ActionButtons actions={actions} send={send} label={labels.action} className="choices amounts" />
    </ScreenFrame>
  );
}
