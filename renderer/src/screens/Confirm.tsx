import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

export function Confirm({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="confirm" title={t('confirm.title')} prompt={t('confirm.prompt')}>
      <AmountLine view={view} label={t('confirm.amount')} />
      <Message message={view.data.message} />
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
