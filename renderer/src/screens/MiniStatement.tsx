import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import { formatDate } from '../format.js';
import type { ScreenProps } from './types.js';

export function MiniStatement({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  const lines = view.data.statement ?? [];
  return (
    <ScreenFrame screen="miniStatement" title={t('miniStatement.title')}>
      {lines.length === 0 ? (
        <p className="prompt">{t('miniStatement.empty')}</p>
      ) : (
        <table className="statement">
          <thead>
            <tr>
              <th scope="col">{t('miniStatement.date')}</th>
              <th scope="col">{t('miniStatement.description')}</th>
              <th scope="col">{t('miniStatement.amount')}</th>
              <th scope="col">{t('miniStatement.balance')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={`${line.date}-${i}`}>
                <td>{formatDate(line.date, view.language)}</td>
                <td>{t(line.description, { defaultValue: line.description })}</td>
                <td className={line.amountMinor < 0 ? 'debit' : 'credit'}>
                  {line.amountMinor < 0 ? '−' : '+'}
                  {labels.money(Math.abs(line.amountMinor))}
                </td>
                <td>{line.balanceMinor === undefined ? '' : labels.money(line.balanceMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
