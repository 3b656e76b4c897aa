import { useTranslation } from 'react-i18next';
import { EntryPanel } from '../components/EntryPanel.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** The payee's account number on the keypad; the runtime looks the payee up and masks the name. */
export function TransferPayee(props: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="transferPayee" title={t('transferPayee.title')} prompt={t('transferPayee.prompt')}>
      <EntryPanel {...props} kind="payeeAccount" label={t('transferPayee.label')} hints={[t('transferPayee.check')]} />
    </ScreenFrame>
  );
}
