import type { Intent } from './intents.js';
import type { IntentAck, SessionView } from './view.js';

/**
 * The one typed API the renderer uses, identical under both hosts: the
 * Electron preload exposes it as `window.kiosk`; in the browser host a
 * WebSocket client implements it.
 */
export interface KioskApi {
  /** Sends a customer intent; resolves with whether the runtime accepted it. */
  sendIntent(intent: Intent): Promise<IntentAck>;
  /** Receives the current view at once and every later one; returns an unsubscribe. */
  subscribe(listener: (view: SessionView) => void): () => void;
}

/** The IPC channel names (Electron host). */
export const IPC_CHANNELS = {
  intent: 'kiosk:intent',
  view: 'kiosk:view',
  ready: 'kiosk:ready',
} as const;
