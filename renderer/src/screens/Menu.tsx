import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

export function Menu({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="menu" title={t('menu.title')} prompt={t('menu.prompt')}>
      {view.data.maskedPan && <p className="card-number">{t('menu.card', { pan: view.data.maskedPan })}</p>}
      <ActionButtons actions={actions} send={send} />
    </ScreenFrame>
  );
}
