import { useTranslation } from 'react-i18next';
import { ActionButtons } from '../../components/ActionButtons.js';
import { ScreenFrame } from '../../components/ScreenFrame.js';
import { useLabels } from '../../components/use-labels.js';
import type { ScreenProps } from '../types.js';
import { OperatorLine } from './OperatorLine.js';

/** Every configured device with its model and state, as the runtime last saw it. */
export function MaintDevices({ view, actions, send }: ScreenProps): React.JSX.Element {
  const { t } = useTranslation();
  const labels = useLabels(view);
  return (
    <ScreenFrame screen="maintDevices" title={t('maintDevices.title')}>
      <OperatorLine view={view} />
      <table className="maint-table devices">
        <thead>
          <tr>
            <th scope="col">{t('maintDevices.device')}</th>
            <th scope="col">{t('maintDevices.id')}</th>
            <th scope="col">{t('maintDevices.model')}</th>
            <th scope="col">{t('maintDevices.state')}</th>
          </tr>
        </thead>
        <tbody>
          {view.devices.map((d) => (
            <tr key={d.id} data-device={d.id} data-state={d.state}>
              <th scope="row">{t(`deviceClass.${d.deviceClass}`, { defaultValue: d.deviceClass })}</th>
              <td>{d.id}</td>
              <td>{d.model}</td>
              <td className={d.state === 'online' ? 'state-ok' : 'state-bad'}>
                {t(`device.state.${d.state}`, { defaultValue: d.state })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionButtons actions={actions} send={send} label={labels.action} primary="confirm" />
    </ScreenFrame>
  );
}
