import { useTranslation } from 'react-i18next';
import { Countdown } from '../components/Countdown.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** The card is out: take it before the time runs out, or the kiosk keeps it. */
export function TakeCard({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="takeCard" title={t('takeCard.title')} prompt={t('takeCard.prompt')} alert>
      <Message message={view.data.message} />
      {view.data.deadlineSeconds !== undefined && <Countdown seconds={view.data.deadlineSeconds} restartKey={view.seq} />}
      <p className="warning">{t('takeCard.warning')}</p>
    </ScreenFrame>
  );
}
