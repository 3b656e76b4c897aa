import type { ServerMessage } from '../ipc-contract/view.js';

/**
 * One renderer connection to the runtime, whichever host carries it (a
 * WebSocket in the browser host, IPC in the Electron host). The host hands
 * every raw frame to `receive`; the runtime validates it and answers through
 * the `send` function given to `connect`.
 */
export interface RendererConnection {
  /** A raw, untrusted frame from the renderer (parsed JSON or a string). */
  receive(raw: unknown): void;
  /** The transport closed; stop sending views to it. */
  close(): void;
}

/** What a host needs from the runtime to serve a renderer. */
export interface RendererBridge {
  /** Registers a renderer; it receives the current view at once. */
  connect(send: (message: ServerMessage) => void): RendererConnection;
}
