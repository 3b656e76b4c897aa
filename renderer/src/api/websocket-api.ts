import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { KioskApi } from '../../../main/ipc-contract/kiosk-api.js';
import type { IntentAck, ServerMessage, SessionView } from '../../../main/ipc-contract/view.js';

const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 3000;

/**
 * The browser host's implementation of KioskApi: a WebSocket back to the
 * runtime that served the page, authenticated by the boot token in the page
 * URL. It reconnects by itself, so a runtime restart only blanks the screen
 * for a moment.
 */
export function createWebSocketApi(pageUrl: URL): KioskApi {
  const token = pageUrl.searchParams.get('token') ?? '';
  const socketUrl = `${pageUrl.protocol === 'https:' ? 'wss' : 'ws'}://${pageUrl.host}/bridge?token=${encodeURIComponent(token)}`;
  const listeners = new Set<(view: SessionView) => void>();
  const pending = new Map<number, (ack: IntentAck) => void>();
  let latest: SessionView | undefined;
  let socket: WebSocket | undefined;
  let nextId = 1;
  let delay = RECONNECT_MIN_MS;

  const connect = (): void => {
    const ws = new WebSocket(socketUrl);
    socket = ws;
    ws.onopen = () => {
      delay = RECONNECT_MIN_MS;
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage;
      if (message.kind === 'view') {
        if (latest && message.view.seq <= latest.seq && message.view.kioskId === latest.kioskId) return;
        latest = message.view;
        for (const listener of listeners) listener(message.view);
      } else {
        pending.get(message.id)?.(message.ack);
        pending.delete(message.id);
      }
    };
    ws.onclose = () => {
      for (const resolve of pending.values()) resolve({ accepted: false, reason: 'notApplicable' });
      pending.clear();
      // A restarted runtime numbers its views from 1 again.
      latest = undefined;
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    };
  };
  connect();

  return {
    sendIntent(intent: Intent): Promise<IntentAck> {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ accepted: false, reason: 'notApplicable' });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ kind: 'intent', id, intent }));
      });
    },
    subscribe(listener: (view: SessionView) => void): () => void {
      listeners.add(listener);
      if (latest) listener(latest);
      return () => listeners.delete(listener);
    },
  };
}
