import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

const SIGNS = ['transferWarning.police', 'transferWarning.safeAccount', 'transferWarning.stranger', 'transferWarning.refund'] as const;

/**
 * The anti-fraud warning before a transfer to another person. Only its own
 * option (`fraudWarning.acknowledged`) acknowledges it — Enter does not — so a
 * reflexive key press cannot skip it; Cancel stays one press away.
 */
export function TransferWarning({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="transferWarning" title={t('transferWarning.title')} prompt={t('transferWarning.prompt')} alert>
      <ul className="fraud-signs">
        {SIGNS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <p className="warning">{t('transferWarning.stop')}</p>
      <ActionButtons actions={actions} send={send} label={labels.action} />
    </ScreenFrame>
  );
}
