import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** Who gets what, at what fee, and when it arrives — the payee's name masked by the runtime. */
export function TransferConfirm({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const d = view.data;
  const rows: [string, string | undefined][] = [
    [t('transfer.payeeName'), d.payeeNameMasked],
    [t('transfer.payeeAccount'), d.payeeAccountMasked],
    [t('transfer.amount'), d.amountMinor === undefined ? undefined : labels.money(d.amountMinor)],
    [t('transfer.feeLabel'), d.feeMinor === undefined ? undefined : labels.money(d.feeMinor)],
  ];
  return (
    <ScreenFrame screen="transferConfirm" title={t('transferConfirm.title')} prompt={t('transferConfirm.prompt')}>
      <dl className="details">
        {rows
          .filter((row): row is [string, string] => row[1] !== undefined)
          .map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {d.creditDelayHours !== undefined && (
        <p className="notice-line" data-delay={d.creditDelayHours}>
          {t('transferConfirm.delay', { hours: d.creditDelayHours })}
        </p>
      )}
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
