import { sleep, type Clock } from '../../common/clock.js';
import { DeviceTimeoutError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import { ACK, BILL_VALIDATOR, CcnetStreamDecoder, encodeFrame, NAK } from '../../protocols/ccnet/frame.js';

export interface CcnetLinkOptions {
  /** Reply timeout per attempt; the spec asks ≤ 10 ms of the device, a pty needs more. */
  readonly replyTimeoutMs: number;
  /** Retransmissions after silence or a device NAK ([TC]: 3). */
  readonly retries: number;
}

/**
 * Host end of a CCNET link: one exchange at a time, resend on silence or a
 * device NAK, and an ACK for every data-bearing answer (the device repeats
 * an event state until it gets one).
 */
export class CcnetLink {
  private readonly decoder = new CcnetStreamDecoder();
  private unsubscribe: Unsubscribe | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private waiter: ((data: Uint8Array) => void) | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: CcnetLinkOptions,
  ) {}

  start(): void {
    this.unsubscribe ??= this.transport.onData((chunk) => {
      for (const item of this.decoder.push(chunk)) {
        if (item.kind === 'frame' && item.frame.address === BILL_VALIDATOR) this.waiter?.(item.frame.data);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** A command → the answer's DATA (`[0x00]` for a bare ACK). */
  exchange(data: Uint8Array): Promise<Uint8Array> {
    const run = this.tail.then(() => this.transact(data));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async transact(data: Uint8Array): Promise<Uint8Array> {
    const bytes = encodeFrame({ address: BILL_VALIDATOR, data });
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      const reply = await this.attempt(bytes);
      if (reply === undefined || (reply.length === 1 && reply[0] === NAK)) continue;
      if (isAck(reply)) return reply;
      // After a resend the device may have answered twice, the second time with a newer event;
      // an ACK would then retire that unseen event, so it is withheld and the device repeats it.
      const copies = attempt > 0 ? await this.lateCopies() : [];
      if (copies.every((c) => sameBytes(c, reply)))
        await this.transport.write(encodeFrame({ address: BILL_VALIDATOR, data: Uint8Array.of(ACK) }));
      return reply;
    }
    throw new DeviceTimeoutError(`no CCNET answer after ${this.options.retries + 1} attempts`);
  }

  /** Frames that arrive within one reply timeout. */
  private async lateCopies(): Promise<Uint8Array[]> {
    const copies: Uint8Array[] = [];
    this.waiter = (d) => copies.push(d);
    await sleep(this.clock, this.options.replyTimeoutMs);
    this.waiter = undefined;
    return copies;
  }

  private attempt(bytes: Uint8Array): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, this.options.replyTimeoutMs);
      this.waiter = (data) => {
        this.clock.clearTimeout(timer);
        this.waiter = undefined;
        resolve(data);
      };
      this.transport.write(bytes).catch(() => undefined);
    });
  }
}

const isAck = (d: Uint8Array): boolean => d.length === 1 && d[0] === ACK;
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
