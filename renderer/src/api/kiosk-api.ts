import type { KioskApi } from '../../../main/ipc-contract/kiosk-api.js';
import { createWebSocketApi } from './websocket-api.js';

declare global {
  interface Window {
    /** Present under the Electron host, exposed by its preload. */
    readonly kiosk?: KioskApi;
  }
}

/** The same API under both hosts: the preload's bridge, or a WebSocket. */
export function getKioskApi(): KioskApi {
  return window.kiosk ?? createWebSocketApi(new URL(window.location.href));
}
