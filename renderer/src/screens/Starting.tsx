import { useTranslation } from 'react-i18next';
import { Progress } from '../components/Progress.js';
import { ScreenFrame } from '../components/ScreenFrame.js';

export function Starting(): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="starting" title={t('starting.title')} prompt={t('starting.body')} busy>
      <Progress />
    </ScreenFrame>
  );
}
