import type { Clock } from '../../common/clock.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import { ACK, DLE, ENQ, NAK, encodeFrame } from '../../protocols/f56/frame.js';
import { F56StreamDecoder, type F56Token } from '../../protocols/f56/stream-decoder.js';
import { TokenInbox, writeOrFail } from '../dispenser-core-inbox.js';

export interface F56LinkOptions {
  /** DLE ACK after our DLE ENQ or frame (§1c: 5 s timers). */
  readonly ackTimeoutMs: number;
  /** Default wait for the unit's DLE ENQ announcing its reply; dispense passes more (§1c: ≤ 40 s). */
  readonly replyTimeoutMs: number;
  /** §1c: 3 retries. */
  readonly maxRetries: number;
}

const NEVER_ABORTED = new AbortController().signal;
const DLE_ENQ = Uint8Array.of(DLE, ENQ);
const DLE_ACK = Uint8Array.of(DLE, ACK);
const DLE_NAK = Uint8Array.of(DLE, NAK);

/**
 * The F56 host link (protocols.md §1c), symmetric in both directions: the
 * sender asks with DLE ENQ, the receiver answers DLE ACK, the sender sends
 * the frame, the receiver answers DLE ACK (or DLE NAK → resend). We send the
 * command that way, then play receiver for the reply.
 */
export class F56Link {
  private readonly decoder = new F56StreamDecoder();
  private readonly mutex = new CommandQueue();
  private readonly inbox: TokenInbox<F56Token>;
  private offData: Unsubscribe | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: F56LinkOptions,
  ) {
    this.inbox = new TokenInbox(clock);
  }

  start(): void {
    this.offData ??= this.transport.onData((chunk) => this.inbox.push(this.decoder.push(chunk)));
  }

  stop(): void {
    this.offData?.();
    this.offData = undefined;
  }

  exchange(data: Uint8Array, name: string, replyTimeoutMs = this.options.replyTimeoutMs): Promise<Uint8Array> {
    return this.mutex.run(NEVER_ABORTED, async () => {
      this.decoder.reset();
      this.inbox.clear();
      await this.sendWithAck(DLE_ENQ, name, 'ENQ');
      await this.sendWithAck(encodeFrame(data), name, 'frame');
      return this.receive(name, replyTimeoutMs);
    });
  }

  /** Sends and waits for DLE ACK; DLE NAK or silence → resend, up to maxRetries. */
  private async sendWithAck(bytes: Uint8Array, name: string, what: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await writeOrFail(this.transport, bytes, name);
      const until = this.clock.monotonic() + this.options.ackTimeoutMs;
      let answer: 'ack' | 'nak';
      try {
        answer = await this.awaitAckOrNak(until, `DLE ACK to ${name} ${what}`);
      } catch (err) {
        if (attempt >= this.options.maxRetries) throw err;
        continue;
      }
      if (answer === 'ack') return;
      if (attempt >= this.options.maxRetries) throw new DeviceError('hardwareError', `${name} ${what} refused with DLE NAK`);
    }
  }

  private async awaitAckOrNak(until: number, what: string): Promise<'ack' | 'nak'> {
    for (;;) {
      const batch = await this.inbox.next(until, what);
      const index = batch.findIndex((t) => t.type === 'ack' || t.type === 'nak');
      if (index < 0) continue;
      this.inbox.unshift(batch.slice(index + 1));
      return (batch[index] as F56Token).type as 'ack' | 'nak';
    }
  }

  /** Plays receiver: DLE ENQ → DLE ACK → frame → DLE ACK (damaged → DLE NAK). */
  private async receive(name: string, timeoutMs: number): Promise<Uint8Array> {
    let damaged = 0;
    const until = this.clock.monotonic() + timeoutMs;
    for (;;) {
      for (const token of await this.inbox.next(until, `reply to ${name}`)) {
        if (token.type === 'enq') await writeOrFail(this.transport, DLE_ACK, name);
        else if (token.type === 'frame') {
          await writeOrFail(this.transport, DLE_ACK, name);
          return token.data;
        } else if (token.type === 'rejected' && (token.error.kind === 'badCrc' || token.error.kind === 'badLength')) {
          damaged += 1;
          if (damaged > this.options.maxRetries) throw new DeviceError('hardwareError', `reply to ${name} damaged ${damaged} times`);
          await writeOrFail(this.transport, DLE_NAK, name);
        }
      }
    }
  }
}
