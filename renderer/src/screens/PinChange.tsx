import { useTranslation } from 'react-i18next';
import { Message } from '../components/Message.js';
import { PinDots } from '../components/PinDots.js';
import { PinPadHint } from '../components/PinPadHint.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** Like `pin`, in three stages: the current PIN, the new one, the new one again — all on the PIN pad. */
export function PinChange({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const stage = view.data.pinStage ?? 'new';
  const title =
    stage === 'current' ? t('pinChange.current') : stage === 'repeat' ? t('pinChange.repeat') : t('pinChange.new');
  return (
    <ScreenFrame screen="pinChange" title={title} prompt={t('pinChange.prompt')}>
      <PinDots digits={view.data.pinDigits ?? 0} />
      <Message message={view.data.message} />
      <PinPadHint />
    </ScreenFrame>
  );
}
