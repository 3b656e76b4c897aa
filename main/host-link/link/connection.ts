import type { Clock, TimerHandle } from '../../../drivers/common/clock.js';
import type { Unsubscribe } from '../../../drivers/common/events.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { FrameDecoder, frame } from '../iso8583/index.js';

/** Why the byte stream lost sync; the only cure for a length-prefixed stream is a new connection. */
export type StreamFault = { kind: 'oversizedFrame'; detail: string } | { kind: 'stalledFrame'; afterMs: number };

export interface ConnectionHandlers {
  frame(bytes: Uint8Array): void;
  fault(fault: StreamFault): void;
  closed(reason: Error | undefined): void;
}

/**
 * One open connection to the host: 2-byte length framing over a byte transport. A frame that
 * stays incomplete for `stallMs` (a host that sent a truncated message and went quiet) is a
 * fault, as is an announced length over the limit.
 */
export class FramedConnection {
  readonly #decoder: FrameDecoder;
  #stall: TimerHandle | null = null;
  #failed = false;
  readonly #unsubscribe: Unsubscribe[];

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly handlers: ConnectionHandlers,
    options: { maxFrameLength: number; stallMs: number },
  ) {
    this.#decoder = new FrameDecoder({ maxLength: options.maxFrameLength });
    this.#unsubscribe = [
      transport.onData((chunk) => this.#onData(chunk, options.stallMs)),
      transport.onClose((reason) => {
        this.#clearStall();
        for (const off of this.#unsubscribe) off();
        handlers.closed(reason);
      }),
    ];
  }

  async send(message: Uint8Array): Promise<void> {
    await this.transport.write(frame(message));
  }

  async close(): Promise<void> {
    this.#clearStall();
    await this.transport.close();
  }

  #onData(chunk: Uint8Array, stallMs: number): void {
    if (this.#failed) return;
    let frames: Uint8Array[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (err) {
      this.#fail({ kind: 'oversizedFrame', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    // Measured from the last byte: a slow but moving frame is not a fault.
    this.#clearStall();
    if (!this.#decoder.idle)
      this.#stall = this.clock.setTimeout(() => this.#fail({ kind: 'stalledFrame', afterMs: stallMs }), stallMs);
    for (const bytes of frames) this.handlers.frame(bytes);
  }

  #fail(fault: StreamFault): void {
    this.#failed = true;
    this.#clearStall();
    this.handlers.fault(fault);
  }

  #clearStall(): void {
    if (this.#stall !== null) this.clock.clearTimeout(this.#stall);
    this.#stall = null;
  }
}
