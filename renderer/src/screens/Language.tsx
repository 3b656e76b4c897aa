import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../components/ActionButtons.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** Each language names itself, so a customer finds theirs whatever the screen's language. */
export function Language({ actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="language" title={t('language.title')} prompt={t('language.prompt')}>
      <ActionButtons actions={actions} send={send} />
    </ScreenFrame>
  );
}
