import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { Countdown } from '../components/Countdown.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

export function DepositInsert({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="depositInsert" title={t('depositInsert.title')} prompt={t('depositInsert.prompt')}>
      <ul className="hints">
        <li>{t('depositInsert.tidy')}</li>
        {view.data.maxNotes !== undefined && <li>{t('depositInsert.max', { max: view.data.maxNotes })}</li>}
      </ul>
      <Message message={view.data.message} />
      {view.data.deadlineSeconds !== undefined && <Countdown seconds={view.data.deadlineSeconds} restartKey={view.seq} />}
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
