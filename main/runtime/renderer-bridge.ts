import { ClientMessageSchema, MAX_CLIENT_MESSAGE_BYTES, type Intent } from '../ipc-contract/intents.js';
import type { IntentAck, ServerMessage, SessionView } from '../ipc-contract/view.js';
import type { RendererBridge, RendererConnection } from './bridge.js';
import type { Logger } from './logger.js';

/** Applies a validated intent; returns whether the current screen accepted it. */
export type IntentHandler = (intent: Intent) => IntentAck;

/**
 * The runtime end of every renderer connection. Frames are untrusted: each is
 * size-checked, parsed and validated; anything invalid is logged and refused,
 * and never reaches the session.
 */
export class RendererHub implements RendererBridge {
  private readonly senders = new Set<(message: ServerMessage) => void>();
  private current: SessionView | undefined;

  constructor(
    private readonly handle: IntentHandler,
    private readonly log: Logger,
    /** Called for every refused frame, e.g. to journal it; gets no frame content. */
    private readonly onRefused: (reason: string) => void = () => undefined,
  ) {}

  connect(send: (message: ServerMessage) => void): RendererConnection {
    this.senders.add(send);
    if (this.current) send({ kind: 'view', view: this.current });
    return {
      receive: (raw) => this.receive(raw, send),
      close: () => {
        this.senders.delete(send);
      },
    };
  }

  /** Sends a new view to every connected renderer. */
  publish(view: SessionView): void {
    this.current = view;
    for (const send of this.senders) send({ kind: 'view', view });
  }

  get connections(): number {
    return this.senders.size;
  }

  private receive(raw: unknown, send: (message: ServerMessage) => void): void {
    const parsed = parseFrame(raw);
    if (!parsed.ok) {
      this.log.warn({ reason: parsed.reason }, 'renderer frame refused');
      this.onRefused(parsed.reason);
      if (parsed.id !== undefined) send({ kind: 'ack', id: parsed.id, ack: { accepted: false, reason: 'invalid' } });
      return;
    }
    const ack = this.handle(parsed.message.intent);
    if (!ack.accepted)
      this.log.info({ intent: parsed.message.intent.type, reason: ack.reason }, 'intent not applicable');
    send({ kind: 'ack', id: parsed.message.id, ack });
  }
}

type ParsedFrame =
  | { ok: true; message: ReturnType<typeof ClientMessageSchema.parse> }
  | { ok: false; reason: string; id?: number };

function parseFrame(raw: unknown): ParsedFrame {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_CLIENT_MESSAGE_BYTES) return { ok: false, reason: 'frame too large' };
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'frame is not JSON' };
    }
  }
  const result = ClientMessageSchema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const id = (value as { id?: unknown } | null)?.id;
  const reason = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0
    ? { ok: false, reason, id }
    : { ok: false, reason };
}
