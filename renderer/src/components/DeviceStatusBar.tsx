import { useTranslation } from 'react-i18next';
import type { DeviceSummary } from '../../../main/ipc-contract/view.js';

/** A quiet strip of device states: reassurance for customers, a first clue for technicians. */
export function DeviceStatusBar({ devices }: { devices: readonly DeviceSummary[] }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="device-bar" aria-label={t('devices.title')}>
      <ul>
        {devices.map((d) => (
          <li key={d.id} data-device={d.id} data-state={d.state} className={`device device-${d.state}`}>
            <span className="device-name">{t(`deviceClass.${d.deviceClass}`, { defaultValue: d.id })}</span>
            <span className="device-state">{t(`device.state.${d.state}`, { defaultValue: d.state })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
