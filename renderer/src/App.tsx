import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Intent } from '../../main/ipc-contract/intents';
import type { KioskApi } from '../../main/ipc-contract/kiosk-api';
import { useView, type createViewStore } from './api/use-view';
import { DeviceStatusBar } from './components/DeviceStatusBar';
import { OutOfService } from './screens/OutOfService';
import { Starting } from './screens/Starting';
import { Welcome } from './screens/Welcome';

/** A pure view of the runtime's latest SessionView; it keeps no session state of its own. */
export function App({ api, store }: { api: KioskApi; store: ReturnType<typeof createViewStore> }): React.JSX.Element {
  const view = useView(store);
  const { t, i18n } = useTranslation();
  const send = (intent: Intent): void => void api.sendIntent(intent);

  useEffect(() => {
    if (view && i18n.language !== view.language) void i18n.changeLanguage(view.language);
    document.documentElement.lang = view?.language ?? 'zh-CN';
  }, [view, i18n]);

  if (!view) {
    return (
      <div className="kiosk">
        <main className="screen" aria-busy="true">
          <p className="prompt">{t('connection.lost')}</p>
        </main>
      </div>
    );
  }
  const classes = ['kiosk', view.accessibility.elderly ? 'elderly' : '', view.accessibility.highContrast ? 'high-contrast' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-screen={view.screen} data-seq={view.seq}>
      {view.screen === 'welcome' && <Welcome view={view} send={send} />}
      {view.screen === 'outOfService' && <OutOfService view={view} />}
      {view.screen === 'starting' && <Starting />}
      <DeviceStatusBar devices={view.devices} />
    </div>
  );
}
