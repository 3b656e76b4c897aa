import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** One to five stars, or a complaint; Cancel skips the question. */
export function Rating({ actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="rating" title={t('rating.title')} prompt={t('rating.prompt')}>
      <ActionButtons actions={actions} send={send} className="choices ratings" />
    </ScreenFrame>
  );
}
