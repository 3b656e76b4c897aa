import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import { IPC_CHANNELS } from '../ipc-contract/kiosk-api.js';
import type { RendererBridge } from '../runtime/bridge.js';
import { openIntentSession, type IntentSession } from './intent-session.js';
import type { HostLog } from './log.js';
import { isAppUrl } from './origin.js';

/**
 * Only the top frame of a page served from app://kiosk may talk to the
 * runtime; a null frame (navigated away or destroyed) is refused too.
 */
export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export interface KioskIpc {
  dispose(): void;
}

/**
 * Listens on exactly the renderer→main channels of IPC_CHANNELS (`view` flows
 * the other way): `ready` opens a runtime session for the sending page,
 * replacing the one a reload left behind; `intent` forwards to it and returns the ack.
 */
export function registerKioskIpc(bridge: RendererBridge, log: HostLog): KioskIpc {
  const sessions = new Map<WebContents, IntentSession>();

  const refuse = (channel: string, event: IpcMainEvent | IpcMainInvokeEvent): void =>
    log('ipc.refused', { channel, url: event.senderFrame?.url ?? null });

  const onReady = (event: IpcMainEvent): void => {
    if (!isTrustedSender(event)) {
      refuse(IPC_CHANNELS.ready, event);
      return;
    }
    const contents = event.sender;
    const previous = sessions.get(contents);
    if (previous === undefined) {
      contents.once('destroyed', () => {
        sessions.get(contents)?.close();
        sessions.delete(contents);
      });
    } else {
      previous.close();
    }
    sessions.set(
      contents,
      openIntentSession(bridge, (view) => {
        if (!contents.isDestroyed()) contents.send(IPC_CHANNELS.view, view);
      }),
    );
  };

  ipcMain.on(IPC_CHANNELS.ready, onReady);
  ipcMain.handle(IPC_CHANNELS.intent, (event, intent: unknown) => {
    if (!isTrustedSender(event)) {
      refuse(IPC_CHANNELS.intent, event);
      throw new Error('IPC refused: untrusted sender');
    }
    const session = sessions.get(event.sender);
    if (session === undefined) throw new Error('IPC refused: renderer has not sent ready');
    return session.submit(intent);
  });

  return {
    dispose() {
      ipcMain.removeListener(IPC_CHANNELS.ready, onReady);
      ipcMain.removeHandler(IPC_CHANNELS.intent);
      for (const session of sessions.values()) session.close();
      sessions.clear();
    },
  };
}
