import { BrowserWindow } from 'electron';
import type { HostLog } from './log.js';
import { APP_ENTRY_URL } from './origin.js';
import { superviseRenderer } from './recovery.js';

export interface KioskWindowOptions {
  readonly preloadPath: string;
  /** Only unpackaged (development) builds get devtools. */
  readonly devTools: boolean;
}

/** Creates the full-screen, frameless kiosk window and loads the renderer into it. */
export function createKioskWindow(options: KioskWindowOptions, log: HostLog): BrowserWindow {
  const window = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    frame: false,
    // Shown once painted, so the customer never sees a white flash.
    show: false,
    backgroundColor: '#000000',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: options.devTools,
      spellcheck: false,
      navigateOnDragDrop: false,
      // A kiosk page is always in front; timers must not be throttled.
      backgroundThrottling: false,
      // alert()/confirm() would block the page with no one to dismiss them.
      disableDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  superviseRenderer(window, log);
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    log('renderer.loadFailed', { url: APP_ENTRY_URL, error: String(error) });
  });
  return window;
}
