import { useTranslation } from 'react-i18next';
import { Progress } from '../components/Progress.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** The kiosk is busy: what with (a `step.*` key), and a calm sign that it is still working. */
export function PleaseWait({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const step = view.data.step ?? 'step.working';
  return (
    <ScreenFrame screen="pleaseWait" title={t('pleaseWait.title')} busy>
      <p className="prompt" data-step={step} aria-live="polite">
        {t(step, { defaultValue: t('step.working') })}
      </p>
      <Progress />
    </ScreenFrame>
  );
}
