import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { AmountLine } from '../components/AmountLine.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

export function ReceiptQuestion({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="receiptQuestion" title={t('receiptQuestion.title')} prompt={t('receiptQuestion.prompt')}>
      <AmountLine view={view} label={t('confirm.amount')} />
      <ActionButtons actions={actions} send={send} />
    </ScreenFrame>
  );
}
