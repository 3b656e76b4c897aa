/**
 * Runs in the sandboxed renderer, where only `electron` (and a few Node
 * built-ins) can be required and ESM is unsupported: build this file as one
 * bundled CommonJS script (dist/main/electron/preload.cjs).
 */
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type KioskApi } from '../ipc-contract/kiosk-api.js';
import type { IntentAck, SessionView } from '../ipc-contract/view.js';

// Remembered so a late subscriber gets the current view at once, as KioskApi promises.
let latestView: SessionView | undefined;
ipcRenderer.on(IPC_CHANNELS.view, (_event: IpcRendererEvent, view: SessionView) => {
  latestView = view;
});

/** Narrow functions only: the page never sees ipcRenderer or a channel name. */
const api = {
  sendIntent: (intent) => ipcRenderer.invoke(IPC_CHANNELS.intent, intent) as Promise<IntentAck>,
  subscribe(listener) {
    if (latestView !== undefined) listener(latestView);
    const forward = (_event: IpcRendererEvent, view: SessionView): void => listener(view);
    ipcRenderer.on(IPC_CHANNELS.view, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.view, forward);
    };
  },
} satisfies KioskApi;

contextBridge.exposeInMainWorld('kiosk', api);
// Asks main to connect this page to the runtime; sent on every load, so a reload reconnects.
ipcRenderer.send(IPC_CHANNELS.ready);
