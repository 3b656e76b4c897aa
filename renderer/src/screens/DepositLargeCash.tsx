import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** A large cash deposit: the customer confirms it is their own money, as the large-cash rules require. */
export function DepositLargeCash({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="depositLargeCash" title={t('depositLargeCash.title')} prompt={t('depositLargeCash.prompt')}>
      <AmountLine view={view} label={t('depositLargeCash.amount')} />
      <p className="notice-line">{t('depositLargeCash.rule')}</p>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
