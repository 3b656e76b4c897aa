import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { useLabels } from '../components/use-labels.js';
import type { ScreenProps } from './types.js';

/** The cash was not taken and went back into the machine: what happens to the money now. */
export function RetractNotice({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="retractNotice" title={t('retractNotice.title')} prompt={t('retractNotice.prompt')} alert>
      <AmountLine view={view} label={t('retractNotice.amount')} />
      <p className="prompt todo">
        <span className="todo-label">{t('notice.whatToDo')}</span> {t('retractNotice.todo')}
      </p>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
