import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KioskApi } from '../../../main/ipc-contract/kiosk-api.js';
import { IPC_CHANNELS } from '../../../main/ipc-contract/kiosk-api.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { VIEW } from './fake-bridge.js';
import { contextBridge, ipcRenderer } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

let api: KioskApi;

beforeAll(async () => {
  await import('../../../main/electron/preload.js');
  const [key, exposed] = contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('kiosk');
  api = exposed as KioskApi;
});

const pushView = (view: SessionView) => ipcRenderer.emit(IPC_CHANNELS.view, {}, view);

describe('preload', () => {
  it('exposes only the two KioskApi functions, never ipcRenderer', () => {
    expect(Object.keys(api).sort()).toEqual(['sendIntent', 'subscribe']);
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
  });

  it('tells main the page is ready to be connected', () => {
    expect(ipcRenderer.send).toHaveBeenCalledWith(IPC_CHANNELS.ready);
  });

  it('sends intents on the intent channel and returns the ack', async () => {
    await expect(api.sendIntent({ type: 'ui.confirmed' })).resolves.toEqual({ accepted: true });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_CHANNELS.intent, { type: 'ui.confirmed' });
  });

  it('gives a subscriber the current view at once, later ones after, none once unsubscribed', () => {
    pushView(VIEW);
    const seen: number[] = [];
    const unsubscribe = api.subscribe((view) => seen.push(view.seq));
    pushView({ ...VIEW, seq: 2 });
    unsubscribe();
    pushView({ ...VIEW, seq: 3 });
    expect(seen).toEqual([1, 2]);
    expect(ipcRenderer.listenerCount(IPC_CHANNELS.view)).toBe(1);
  });
});
