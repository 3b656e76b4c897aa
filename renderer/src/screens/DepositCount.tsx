import { useTranslation } from 'react-i18next';
import { Progress } from '../components/Progress.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

export function DepositCount(_: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="depositCount" title={t('depositCount.title')} prompt={t('depositCount.prompt')} busy>
      <Progress />
    </ScreenFrame>
  );
}
