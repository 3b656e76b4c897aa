import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** The notes the amount can be paid in; each button reads "2 × 100 元 + 1 × 50 元". */
export function NoteMix({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="noteMix" title={t('noteMix.title')} prompt={t('noteMix.prompt')}>
      <AmountLine view={view} label={t('confirm.amount')} />
      <ActionButtons actions={actions} send={send} label={labels.action} className="choices single" />
    </ScreenFrame>
  );
}
