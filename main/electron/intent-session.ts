import type { ClientMessage } from '../ipc-contract/intents.js';
import type { IntentAck, SessionView } from '../ipc-contract/view.js';
import type { RendererBridge } from '../runtime/bridge.js';

/**
 * One renderer page's conversation with the runtime, shaped for request/response
 * IPC: each `submit` resolves with the ack the runtime sends for it.
 * Pure (no Electron), so the correlation logic is unit-tested directly.
 */
export interface IntentSession {
  /** Forwards an untrusted intent; the runtime validates it and acks. */
  submit(intent: unknown): Promise<IntentAck>;
  /** Disconnects from the runtime and rejects any submit still waiting. */
  close(): void;
}

/** A ClientMessage whose intent has not been validated yet. */
type IntentEnvelope = Omit<ClientMessage, 'intent'> & { readonly intent: unknown };

interface Pending {
  resolve(ack: IntentAck): void;
  reject(error: Error): void;
}

/**
 * Connects to the runtime; views go to `onView` (the current one at once).
 * Correlation ids are assigned here, not by the renderer, so a page cannot
 * collide them or settle another request's ack.
 */
export function openIntentSession(
  bridge: RendererBridge,
  onView: (view: SessionView) => void,
): IntentSession {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const connection = bridge.connect((message) => {
    if (message.kind === 'view') {
      onView(message.view);
      return;
    }
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    waiting?.resolve(message.ack);
  });

  return {
    submit(intent) {
      if (closed) return Promise.reject(new Error('Intent session closed'));
      const id = nextId++;
      return new Promise<IntentAck>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const envelope: IntentEnvelope = { kind: 'intent', id, intent };
        // Not validated here: the runtime owns validation and acks `invalid`.
        try {
          connection.receive(envelope);
        } catch (error) {
          pending.delete(id);
          throw error;
        }
      });
    },
    close() {
      if (closed) return;
      closed = true;
      connection.close();
      const error = new Error('Intent session closed');
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    },
  };
}
