import { beforeEach, describe, expect, it, vi } from 'vitest';
import { prepareElectronApp, startElectronHost } from '../../../main/electron/host.js';
import { IPC_CHANNELS } from '../../../main/ipc-contract/kiosk-api.js';
import { FakeBridge } from './fake-bridge.js';
import {
  app,
  BrowserWindow,
  crashReporter,
  FakeWebContents,
  ipcMain,
  Menu,
  powerSaveBlocker,
  protocol,
  session,
} from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const log = vi.fn();

beforeEach(() => {
  vi.clearAllMocks();
  app.removeAllListeners();
});

describe('prepareElectronApp', () => {
  it('does nothing but report false when another instance holds the lock', () => {
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(prepareElectronApp(log)).toBe(false);
    expect(protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(app.listenerCount('web-contents-created')).toBe(0);
  });

  it('sandboxes every renderer, registers app:, keeps crash dumps local', () => {
    expect(prepareElectronApp(log)).toBe(true);
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(crashReporter.start).toHaveBeenCalledWith({ uploadToServer: false });
  });

  it('hardens every web contents the app creates', () => {
    prepareElectronApp(log);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({})).toEqual({ action: 'deny' });
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('startElectronHost', () => {
  async function start() {
    return startElectronHost({
      bridge: new FakeBridge(),
      rendererDir: '/opt/kiosk/dist/renderer',
      preloadPath: '/opt/kiosk/preload.cjs',
      log,
    });
  }

  it('brings up the locked-down kiosk once the app is ready', async () => {
    const host = await start();
    expect(app.whenReady).toHaveBeenCalled();
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(session.defaultSession.requestHandler).toBeDefined();
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(host.window).toBe(BrowserWindow.created.at(-1));
    expect(BrowserWindow.created.at(-1)?.options.webPreferences?.devTools).toBe(false);
    host.stop();
  });

  it('focuses the kiosk window when a second instance starts', async () => {
    const host = await start();
    app.emit('second-instance');
    expect(BrowserWindow.created.at(-1)?.focus).toHaveBeenCalled();
    host.stop();
  });

  it('stop releases IPC and the display-sleep blocker', async () => {
    const host = await start();
    expect(ipcMain.handlers.has(IPC_CHANNELS.intent)).toBe(true);
    host.stop();
    expect(ipcMain.handlers.has(IPC_CHANNELS.intent)).toBe(false);
    expect(powerSaveBlocker.stop).toHaveBeenCalledWith(7);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});
