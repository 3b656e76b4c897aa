import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import type { ScreenProps } from '../types.js';
import { OperatorLine } from './OperatorLine.js';

export function MaintMenu({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="maintMenu" title={t('maintMenu.title')}>
      <OperatorLine view={view} />
      <ActionButtons actions={actions} send={send} className="choices maint-menu" />
    </ScreenFrame>
  );
}
