import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY_URL } from '../../../main/electron/origin.js';
import { HANG_TIMEOUT_MS, RELOAD_DELAY_MS } from '../../../main/electron/recovery.js';
import { createKioskWindow } from '../../../main/electron/window.js';
import { BrowserWindow, fakeEvent } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const log = vi.fn();

function open(devTools = false): BrowserWindow {
  createKioskWindow({ preloadPath: '/opt/kiosk/preload.cjs', devTools }, log);
  const window = BrowserWindow.created.at(-1);
  if (window === undefined) throw new Error('no window created');
  return window;
}

describe('createKioskWindow', () => {
  it('isolates and sandboxes the renderer, with no Node in any frame', () => {
    const prefs = open().options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/opt/kiosk/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('is a frameless full-screen kiosk window, shown once painted', () => {
    const window = open();
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true, frame: false, show: false });
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('loads the renderer from app://kiosk', () => {
    expect(open().loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
  });

  it('gives devtools to development builds only', () => {
    expect(open(true).options.webPreferences?.devTools).toBe(true);
  });
});

describe('renderer recovery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reloads a crashed renderer after a second', () => {
    const window = open();
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'crashed', exitCode: 139 });
    vi.advanceTimersByTime(RELOAD_DELAY_MS - 1);
    expect(window.webContents.reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(window.webContents.reload).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('renderer.gone', { reason: 'crashed', exitCode: 139 });
  });

  it('does not reload a window that has gone', () => {
    const window = open();
    window.webContents.emit('render-process-gone', fakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    window.webContents.destroy();
    vi.advanceTimersByTime(RELOAD_DELAY_MS);
    expect(window.webContents.reload).not.toHaveBeenCalled();
  });

  it('crashes a renderer still hung after ten seconds', () => {
    const window = open();
    window.emit('unresponsive');
    window.emit('unresponsive');
    vi.advanceTimersByTime(HANG_TIMEOUT_MS - 1);
    expect(window.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(window.webContents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
  });

  it('spares a renderer that recovers in time', () => {
    const window = open();
    window.emit('unresponsive');
    vi.advanceTimersByTime(HANG_TIMEOUT_MS - 1);
    window.emit('responsive');
    vi.advanceTimersByTime(HANG_TIMEOUT_MS);
    expect(window.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });
});
