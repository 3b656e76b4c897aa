import type { BrowserWindow } from 'electron';
import { app, crashReporter, Menu, powerSaveBlocker, session } from 'electron';
import type { RendererBridge } from '../runtime/bridge.js';
import { registerKioskIpc } from './ipc.js';
import { hardenWebContents } from './lockdown.js';
import type { HostLog } from './log.js';
import { registerAppProtocol, registerAppScheme } from './protocol.js';
import { hardenSession } from './session.js';
import { createKioskWindow } from './window.js';

/**
 * Process-wide settings Electron accepts only before `ready`, so call this
 * synchronously at start-up, before `startElectronHost`. Returns false when
 * another instance holds the lock; this one should then quit.
 */
export function prepareElectronApp(log: HostLog): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.enableSandbox();
  registerAppScheme();
  // Minidumps stay in app.getPath('crashDumps'); the fleet agent collects them.
  crashReporter.start({ uploadToServer: false });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('child-process-gone', (_event, details) =>
    log('process.gone', { type: details.type, reason: details.reason, exitCode: details.exitCode }),
  );
  return true;
}

export interface ElectronHostOptions {
  readonly bridge: RendererBridge;
  /** The built renderer (dist/renderer), served as app://kiosk/. */
  readonly rendererDir: string;
  /** The bundled, CommonJS preload script (see preload.ts). */
  readonly preloadPath: string;
  readonly log: HostLog;
}

export interface ElectronHost {
  readonly window: BrowserWindow;
  /** Disconnects the renderer from the runtime; call before stopping the runtime. */
  stop(): void;
}

/** Once the app is ready: locks the session down, serves the renderer and opens the kiosk window. */
export async function startElectronHost(options: ElectronHostOptions): Promise<ElectronHost> {
  await app.whenReady();
  // No menu means none of its default accelerators (reload, devtools, quit).
  Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession);
  registerAppProtocol(options.rendererDir);
  const ipc = registerKioskIpc(options.bridge, options.log);
  const sleepBlocker = powerSaveBlocker.start('prevent-display-sleep');
  const window = createKioskWindow(
    { preloadPath: options.preloadPath, devTools: !app.isPackaged },
    options.log,
  );
  const focusWindow = (): void => {
    if (!window.isDestroyed()) window.focus();
  };
  app.on('second-instance', focusWindow);
  return {
    window,
    stop() {
      app.removeListener('second-instance', focusWindow);
      ipc.dispose();
      powerSaveBlocker.stop(sleepBlocker);
    },
  };
}
