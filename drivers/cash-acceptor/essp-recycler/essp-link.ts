import { sleep, type Clock } from '../../common/clock.js';
import { DeviceError, DeviceTimeoutError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import { encodeFrame, EsspStreamDecoder, VALIDATOR_ADDRESS } from '../../protocols/essp/frame.js';
import { packEncrypted, unpackEncrypted, type BlockCipher } from '../../protocols/essp/encryption.js';

export interface EsspLinkOptions {
  /** GA138: 1 s. */
  readonly replyTimeoutMs: number;
  /** Retransmissions with the same sequence flag before giving up (GA138: 20). */
  readonly retries: number;
  /** Random bytes for ePACKING. */
  readonly random: (n: number) => Uint8Array;
}

/**
 * The host end of an (e)SSP link: one exchange at a time, the sequence flag
 * toggled per new command and kept on retransmission (so the slave answers a
 * repeat without executing it again), retries on silence or a corrupt reply,
 * and the eSSP envelope with the eCOUNT check once a key is set.
 */
export class EsspLink {
  private readonly decoder = new EsspStreamDecoder();
  private unsubscribe: Unsubscribe | undefined;
  private seq = true;
  private cipher: BlockCipher | undefined;
  private count = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private waiter: ((data: Uint8Array) => void) | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: EsspLinkOptions,
  ) {}

  start(): void {
    this.unsubscribe ??= this.transport.onData((chunk) => {
      for (const item of this.decoder.push(chunk)) {
        if (item.kind === 'frame' && item.frame.address === VALIDATOR_ADDRESS) this.waiter?.(item.frame.data);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get encrypted(): boolean {
    return this.cipher !== undefined;
  }

  /** Keys the link after a key exchange; eCOUNT starts at 0. */
  setCipher(cipher: BlockCipher | undefined): void {
    this.cipher = cipher;
    this.count = 0;
  }

  /** Sync: sent with the flag set; the slave then expects the flag clear (GA138). */
  sync(): Promise<Uint8Array> {
    return this.serial(async () => {
      this.seq = true;
      this.cipher = undefined;
      return this.transact(Uint8Array.of(0x11));
    });
  }

  /** One command → the reply DATA (decrypted), encrypted when a key is set. */
  exchange(data: Uint8Array): Promise<Uint8Array> {
    return this.serial(() => this.transact(data));
  }

  private serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.tail.then(body, body);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async transact(data: Uint8Array): Promise<Uint8Array> {
    const cipher = this.cipher;
    const payload = cipher ? packEncrypted(cipher, this.count, data, this.options.random) : data;
    const bytes = encodeFrame({ seq: this.seq, address: VALIDATOR_ADDRESS, data: payload });
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      const reply = await this.attempt(bytes, (r) => !cipher || !this.isStale(cipher, r));
      if (reply === undefined) continue;
      // After a retransmission the slave may answer twice (it repeats its last reply); let the copy pass unheard.
      if (attempt > 0) await sleep(this.clock, this.options.replyTimeoutMs);
      this.seq = !this.seq;
      if (!cipher) return reply;
      if (reply.length === 1 && reply[0] === 0xfa) {
        this.cipher = undefined;
        throw new DeviceError('hardwareError', 'the device lost its eSSP key');
      }
      const opened = unpackEncrypted(cipher, reply);
      if (!opened.ok) throw new DeviceError('hardwareError', `eSSP reply rejected: ${opened.reason}`);
      if (opened.count !== this.count + 1)
        throw new DeviceError('hardwareError', `eSSP reply eCOUNT ${opened.count}, expected ${this.count + 1}`);
      this.count += 2;
      return opened.data;
    }
    throw new DeviceTimeoutError(`no eSSP reply after ${this.options.retries + 1} attempts`);
  }

  /** A late answer to an earlier, already abandoned request carries an older eCOUNT. */
  private isStale(cipher: BlockCipher, reply: Uint8Array): boolean {
    const opened = unpackEncrypted(cipher, reply);
    return opened.ok && opened.count < this.count + 1;
  }

  /** Sends the frame and waits for one reply frame; undefined on timeout. */
  private attempt(bytes: Uint8Array, wanted: (reply: Uint8Array) => boolean): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, this.options.replyTimeoutMs);
      this.waiter = (data) => {
        if (!wanted(data)) return;
        this.clock.clearTimeout(timer);
        this.waiter = undefined;
        resolve(data);
      };
      this.transport.write(bytes).catch(() => undefined);
    });
  }
}
