import type { Clock } from '../../common/clock.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, DeviceTimeoutError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import { LCDM_CMD, encodeCommand, type LcdmCommand } from '../../protocols/lcdm/commands.js';
import { ACK, NAK } from '../../protocols/lcdm/frame.js';
import { LcdmReplyDecoder, type LcdmToken } from '../../protocols/lcdm/stream-decoder.js';
import { TokenInbox, writeOrFail } from '../dispenser-core-inbox.js';

export interface LcdmLinkOptions {
  /** How long the dispenser has to ACK or NAK a command (§1a: 200 ms). */
  readonly ackTimeoutMs: number;
  /** How long it has to send the reply after the ACK when the command gives none. */
  readonly replyTimeoutMs: number;
  /** Wait for the closing EOT after our ACK; a missing EOT is tolerated. */
  readonly eotTimeoutMs: number;
  /** Resends after NAK, NAKs of a damaged reply (§1a: max 3). */
  readonly maxRetries: number;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * The LCDM host link (protocols.md §1a/§1b): command frame → ACK (NAK → resend)
 * → reply frame → our ACK (damaged → NAK, the dispenser resends) → EOT. One
 * exchange at a time; every wait runs on the injected Clock.
 */
export class LcdmLink {
  private readonly decoder = new LcdmReplyDecoder();
  private readonly mutex = new CommandQueue();
  private readonly inbox: TokenInbox<LcdmToken>;
  private offData: Unsubscribe | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: LcdmLinkOptions,
  ) {
    this.inbox = new TokenInbox(clock);
  }

  start(): void {
    this.offData ??= this.transport.onData((chunk) => {
      this.inbox.push(this.decoder.push(chunk));
    });
  }

  stop(): void {
    this.offData?.();
    this.offData = undefined;
  }

  /** Sends one command and resolves with its reply's DATA. */
  exchange(command: LcdmCommand, replyTimeoutMs = this.options.replyTimeoutMs): Promise<Uint8Array> {
    return this.mutex.run(NEVER_ABORTED, () => this.run(command, replyTimeoutMs));
  }

  private async run(command: LcdmCommand, replyTimeoutMs: number): Promise<Uint8Array> {
    const frame = encodeCommand(command);
    this.decoder.reset();
    this.inbox.clear();
    await this.write(frame, command.name);
    await this.awaitAck(frame, command.name);
    const data = await this.awaitReply(LCDM_CMD[command.name], command.name, replyTimeoutMs);
    await this.awaitEot();
    return data;
  }

  private async awaitAck(frame: Uint8Array, name: string): Promise<void> {
    let naks = 0;
    let until = this.clock.monotonic() + this.options.ackTimeoutMs;
    for (;;) {
      const batch = await this.inbox.next(until, `ACK to ${name}`);
      const index = batch.findIndex((t) => t.type === 'ack' || t.type === 'nak');
      if (index < 0) continue;
      const token = batch[index] as LcdmToken;
      if (token.type === 'ack') {
        this.inbox.unshift(batch.slice(index + 1));
        return;
      }
      naks += 1;
      if (naks > this.options.maxRetries) throw new DeviceError('hardwareError', `${name} refused with NAK ${naks} times`);
      await this.write(frame, name);
      until = this.clock.monotonic() + this.options.ackTimeoutMs;
    }
  }

  private async awaitReply(cmd: number, name: string, timeoutMs: number): Promise<Uint8Array> {
    let damaged = 0;
    const until = this.clock.monotonic() + timeoutMs;
    for (;;) {
      for (const token of await this.inbox.next(until, `reply to ${name}`)) {
        if (token.type === 'frame' && token.frame.cmd === cmd) {
          await this.write(Uint8Array.of(ACK), name);
          return token.frame.data;
        }
        if (token.type !== 'rejected' || token.error.kind !== 'badBcc') continue;
        damaged += 1;
        if (damaged > this.options.maxRetries) throw new DeviceError('hardwareError', `reply to ${name} damaged ${damaged} times`);
        await this.write(Uint8Array.of(NAK), name);
      }
    }
  }

  private async awaitEot(): Promise<void> {
    const until = this.clock.monotonic() + this.options.eotTimeoutMs;
    try {
      for (;;) if ((await this.inbox.next(until, 'EOT')).some((t) => t.type === 'eot')) return;
    } catch (err) {
      if (!(err instanceof DeviceTimeoutError)) throw err;
    }
  }

  private write(bytes: Uint8Array, name: string): Promise<void> {
    return writeOrFail(this.transport, bytes, name);
  }
}
