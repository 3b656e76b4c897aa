import type { Clock, TimerHandle } from '../../common/clock.js';
import { sleep } from '../../common/clock.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, DeviceTimeoutError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import { commandName, encodeCommand, type CreatorCommand } from '../../protocols/creator/commands.js';
import { ENQ } from '../../protocols/creator/frame.js';
import { CreatorReplyError, parseReply, type CreatorReply } from '../../protocols/creator/reply.js';
import { CreatorStreamDecoder, type LinkToken } from '../../protocols/creator/stream-decoder.js';

export interface CreatorLinkOptions {
  /** Reader address in the frame; 0 on RS-232. */
  readonly address: number;
  /** How long the reader has to ACK or NAK a command frame. */
  readonly ackTimeoutMs: number;
  /** Default time from ENQ to the reply frame; motion commands pass their own. */
  readonly replyTimeoutMs: number;
  /** Pause before resending a NAKed frame (§3a: 100 ms). */
  readonly retryDelayMs: number;
  /** Resends after NAK, and re-ENQs after a damaged reply, before giving up (§3a: 3). */
  readonly maxRetries: number;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * The Creator RS-232 link: command frame → ACK (NAK → resend after a pause) →
 * ENQ → reply frame (damaged → ENQ again, the reader repeats its reply). One
 * exchange at a time; every wait runs on the injected Clock. Error messages name
 * the command only, never frame contents, because replies carry track data.
 */
export class CreatorLink {
  private readonly decoder = new CreatorStreamDecoder();
  private readonly mutex = new CommandQueue();
  private inbox: LinkToken[] = [];
  private wake: (() => void) | undefined;
  private offData: Unsubscribe | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: CreatorLinkOptions,
  ) {}

  start(): void {
    this.offData ??= this.transport.onData((chunk) => {
      this.inbox.push(...this.decoder.push(chunk));
      this.wake?.();
    });
  }

  stop(): void {
    this.offData?.();
    this.offData = undefined;
  }

  /** Sends one command and resolves with the reader's reply (positive or negative). */
  exchange(cmd: CreatorCommand, replyTimeoutMs = this.options.replyTimeoutMs): Promise<CreatorReply> {
    return this.mutex.run(NEVER_ABORTED, () => this.run(cmd, replyTimeoutMs));
  }

  private async run(cmd: CreatorCommand, replyTimeoutMs: number): Promise<CreatorReply> {
    const name = commandName(cmd);
    const frame = encodeCommand(this.options.address, cmd);
    this.decoder.reset();
    this.inbox = [];
    await this.write(frame, name);
    await this.awaitAck(frame, name);
    await this.write(Uint8Array.of(ENQ), name);
    return this.awaitReply(cmd, name, replyTimeoutMs);
  }

  private async awaitAck(frame: Uint8Array, name: string): Promise<void> {
    let naks = 0;
    const deadline = (): number => this.clock.monotonic() + this.options.ackTimeoutMs;
    let until = deadline();
    for (;;) {
      for (const token of await this.next(until, `ACK to ${name}`)) {
        if (token.type === 'ack') return;
        if (token.type !== 'nak') continue; // stale replies or noise
        naks += 1;
        if (naks > this.options.maxRetries) {
          throw new DeviceError('hardwareError', `${name} refused with NAK ${naks} times`);
        }
        await sleep(this.clock, this.options.retryDelayMs);
        this.inbox = [];
        await this.write(frame, name);
        until = deadline();
        break;
      }
    }
  }

  private async awaitReply(cmd: CreatorCommand, name: string, timeoutMs: number): Promise<CreatorReply> {
    let damaged = 0;
    const until = this.clock.monotonic() + timeoutMs;
    for (;;) {
      const batch = await this.next(until, `reply to ${name}`);
      let reply: CreatorReply | undefined;
      let broken = false;
      for (const token of batch) {
        if (token.type === 'frame') {
          try {
            const parsed = parseReply(token.frame.text);
            if (parsed.cm === cmd.cm && parsed.pm === cmd.pm) reply ??= parsed;
          } catch (err) {
            if (!(err instanceof CreatorReplyError)) throw err;
            broken = true;
          }
        } else if (token.type === 'rejected') {
          // A damaged reply; noise (oversized, cut short by a real frame) is not.
          broken ||= token.error.kind === 'badBcc' || token.error.kind === 'badEtx';
        }
      }
      if (reply) return reply;
      if (!broken) continue;
      damaged += 1;
      if (damaged > this.options.maxRetries) {
        throw new DeviceError('hardwareError', `reply to ${name} damaged ${damaged} times`);
      }
      await this.write(Uint8Array.of(ENQ), name);
    }
  }

  /** The tokens received so far, or the next ones; DeviceTimeoutError at `until` (monotonic ms). */
  private async next(until: number, what: string): Promise<LinkToken[]> {
    if (this.inbox.length === 0) {
      const remaining = until - this.clock.monotonic();
      if (remaining <= 0) throw new DeviceTimeoutError(`no ${what}`);
      await new Promise<void>((resolve, reject) => {
        const timer: TimerHandle = this.clock.setTimeout(() => {
          this.wake = undefined;
          reject(new DeviceTimeoutError(`no ${what} within ${remaining} ms`));
        }, remaining);
        this.wake = () => {
          this.wake = undefined;
          this.clock.clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.inbox.splice(0);
  }

  private async write(bytes: Uint8Array, name: string): Promise<void> {
    try {
      await this.transport.write(bytes);
    } catch (err) {
      throw new DeviceError('hardwareError', `cannot send ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
