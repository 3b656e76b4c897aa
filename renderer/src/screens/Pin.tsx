import { useTranslation } from 'react-i18next';
import { Message } from '../components/Message.js';
import { PinDots } from '../components/PinDots.js';
import { PinPadHint } from '../components/PinPadHint.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/**
 * PIN entry happens on the encrypting PIN pad only: this screen shows how many
 * digits were typed and where to type them, and has no digit buttons.
 */
export function Pin({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="pin" title={t('pin.title')} prompt={t('pin.prompt')}>
      <PinDots digits={view.data.pinDigits ?? 0} />
      <Message message={view.data.message} />
      <PinPadHint />
    </ScreenFrame>
  );
}
