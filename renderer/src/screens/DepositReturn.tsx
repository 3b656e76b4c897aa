import { useTranslation } from 'react-i18next';
import { Countdown } from '../components/Countdown.js';
import { Message } from '../components/Message.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** Notes are handed back (refused, or the deposit was cancelled): take them before the time runs out. */
export function DepositReturn({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const count = view.data.rejectedNotes ?? view.data.notes?.reduce((sum, n) => sum + n.count, 0);
  return (
    <ScreenFrame screen="depositReturn" title={t('depositReturn.title')} prompt={t('depositReturn.prompt')} alert>
      {count !== undefined && <p className="amount-line">{t('depositReturn.count', { n: count })}</p>}
      <Message message={view.data.message} />
      {view.data.deadlineSeconds !== undefined && <Countdown seconds={view.data.deadlineSeconds} restartKey={view.seq} />}
      <p className="warning">{t('depositReturn.warning')}</p>
    </ScreenFrame>
  );
}
