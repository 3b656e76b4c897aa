import { useTranslation } from 'react-i18next';
import { AmountLine } from '../components/AmountLine.js';
import { Countdown } from '../components/Countdown.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** The cash is in the slot: the one thing to do now, big, with the time left before it is taken back. */
export function TakeCash({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="takeCash" title={t('takeCash.title')} prompt={t('takeCash.prompt')} alert>
      <AmountLine view={view} label={t('takeCash.amount')} />
      {view.data.deadlineSeconds !== undefined && <Countdown seconds={view.data.deadlineSeconds} restartKey={view.seq} />}
      <p className="warning">{t('takeCash.warning')}</p>
    </ScreenFrame>
  );
}
