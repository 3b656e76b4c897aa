import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

export function Complaint({ actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="complaint" title={t('complaint.title')} prompt={t('complaint.prompt')}>
      <ActionButtons actions={actions} send={send} />
    </ScreenFrame>
  );
}
