import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import type { ScreenProps } from './types.js';

/** Reason keys look like `reason.deviceDown.<deviceId>`; the device's class names it for customers. */
function describeReason(reason: string, view: SessionView, t: TFunction): string {
  const [, kind, subject] = reason.split('.');
  if (kind === 'deviceDown' && subject) {
    const device = view.devices.find((d) => d.id === subject);
    return t('reason.deviceDown', { device: t(`deviceClass.${device?.deviceClass ?? ''}`, { defaultValue: subject }) });
  }
  return t(`reason.${kind ?? ''}`, { defaultValue: reason });
}

export function OutOfService({ view }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ScreenFrame screen="outOfService" title={t('outOfService.title')} prompt={t('outOfService.body')} alert>
      {view.availability.reasons.length > 0 && (
        <section className="reasons">
          <h2>{t('outOfService.reasons')}</h2>
          <ul>
            {view.availability.reasons.map((reason) => (
              <li key={reason}>{describeReason(reason, view, t)}</li>
            ))}
          </ul>
        </section>
      )}
    </ScreenFrame>
  );
}
