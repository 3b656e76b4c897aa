import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

export function AnotherTransaction({ actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="anotherTransaction" title={t('anotherTransaction.title')} prompt={t('anotherTransaction.prompt')}>
      <ActionButtons actions={actions} send={send} />
    </ScreenFrame>
  );
}
