import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

export function Balance({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const { availableBalanceMinor, ledgerBalanceMinor } = view.data;
  return (
    <ScreenFrame screen="balance" title={t('balance.title')}>
      <dl className="figures">
        {availableBalanceMinor !== undefined && (
          <div className="figure main-figure">
            <dt>{t('balance.available')}</dt>
            <dd data-amount={availableBalanceMinor}>{labels.money(availableBalanceMinor)}</dd>
          </div>
        )}
        {ledgerBalanceMinor !== undefined && (
          <div className="figure">
            <dt>{t('balance.ledger')}</dt>
            <dd data-amount={ledgerBalanceMinor}>{labels.money(ledgerBalanceMinor)}</dd>
          </div>
        )}
      </dl>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
