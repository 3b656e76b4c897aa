import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Intent } from '../../main/ipc-contract/intents.js';
import type { KioskApi } from '../../main/ipc-contract/kiosk-api.js';
import type { SessionView } from '../../main/ipc-contract/view.js';
import { useView, type createViewStore } from './api/use-view.js';
import { CancelBar } from './components/CancelBar.js';
import { DeviceStatusBar } from './components/DeviceStatusBar.js';
import { MoreTimeDialog } from './components/MoreTimeDialog.js';
import { VoicePrompt } from './components/VoicePrompt.js';
import { useKeyboard } from './hooks/use-keyboard.js';
import { editEntry, entryMaxLength, type EntryKey } from './model/entry.js';
import { MORE_TIME_ACTIONS, SCREEN_TRAITS, screenActions } from './model/screen-actions.js';
import { SCREENS } from './screens/registry.js';

/** A pure view of the runtime's latest SessionView; it keeps no session state of its own. */
export function App({ api, store }: { api: KioskApi; store: ReturnType<typeof createViewStore> }): React.JSX.Element {
  const view = useView(store);
  const { t, i18n } = useTranslation();

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
  return <Session view={view} api={api} />;
}

/**
 * Digits typed on a keypad screen are the renderer's only state: they belong
 * to one screen and one runtime message, and start empty when either changes.
 */
function useEntry(view: SessionView): [string, (entry: string) => void] {
  const key = `${view.screen}|${view.data.message ?? ''}`;
  const [state, setState] = useState({ key, entry: '' });
  const setEntry = useCallback((entry: string) => setState({ key, entry }), [key]);
  return [state.key === key ? state.entry : '', setEntry];
}

function Session({ view, api }: { view: SessionView; api: KioskApi }): React.JSX.Element {
  const send = useCallback((intent: Intent): void => void api.sendIntent(intent), [api]);
  const actions = useMemo(() => screenActions(view), [view]);
  const [entry, setEntry] = useEntry(view);
  const traits = SCREEN_TRAITS[view.screen];
  const onEntryKey = (key: EntryKey): void => {
    if (traits.entry) setEntry(editEntry(entry, key, traits.entry, entryMaxLength(traits.entry, view.data)));
  };
  useKeyboard({ view, actions, entry }, send, setEntry);

  const Screen = SCREENS[view.screen];
  const { elderly, highContrast, voice } = view.accessibility;
  const classes = ['kiosk', elderly && traits.large ? 'elderly' : '', highContrast ? 'high-contrast' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-screen={view.screen} data-seq={view.seq}>
      <div className="page" inert={view.moreTime}>
        <Screen view={view} actions={actions} send={send} entry={entry} onEntryKey={onEntryKey} />
        {traits.cancel && <CancelBar send={send} />}
        <DeviceStatusBar devices={view.devices} />
      </div>
      {view.moreTime && <MoreTimeDialog actions={MORE_TIME_ACTIONS} send={send} />}
      <VoicePrompt
        prompt={view.moreTime ? 'moreTime' : view.screen}
        language={view.language}
        on={voice && traits.spoken}
      />
    </div>
  );
}
