import type { Clock, TimerHandle } from '../../common/clock.js';
import { CommandQueue } from '../../common/command-queue.js';
import { DeviceError, DeviceTimeoutError } from '../../common/completion.js';
import type { Unsubscribe } from '../../common/events.js';
import type { ByteTransport } from '../../common/transport.js';
import type { Zt588Command } from '../../protocols/zt588/commands.js';
import { ascii, encodeFrame } from '../../protocols/zt588/frame.js';
import { Zt588StreamDecoder } from '../../protocols/zt588/stream-decoder.js';

export interface Zt588LinkOptions {
  /** How long the EPP has to answer a frame (protocols.md §5a: 1 s). */
  readonly answerTimeoutMs: number;
  /** Resends after a missing or damaged answer (§5a: 4). */
  readonly retries: number;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * The ZT588 serial link: one command frame at a time, each answered by one
 * frame; no answer or a damaged one → resend, `retries` times, on the injected
 * Clock. Bytes outside frames are key reports and go to `onKeyByte` as they
 * arrive, whether or not a command is in flight. Error messages name the
 * command only, never its text, because texts carry key cryptograms.
 */
export class Zt588Link {
  private readonly decoder = new Zt588StreamDecoder();
  private readonly mutex = new CommandQueue();
  private offData: Unsubscribe | undefined;
  private pending: ((outcome: 'damaged' | Uint8Array) => void) | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly options: Zt588LinkOptions,
    private readonly onKeyByte: (byte: number) => void,
  ) {}

  start(): void {
    this.offData ??= this.transport.onData((chunk) => this.receive(chunk));
  }

  stop(): void {
    this.offData?.();
    this.offData = undefined;
    this.decoder.reset();
  }

  /** Sends `command` and resolves with the text of its answer frame. */
  exchange(command: Zt588Command, retries = this.options.retries): Promise<Uint8Array> {
    return this.mutex.run(NEVER_ABORTED, () => this.run(command, retries));
  }

  private async run(command: Zt588Command, retries: number): Promise<Uint8Array> {
    const frame = encodeFrame(ascii(command.text));
    let lastProblem = 'no answer';
    for (let attempt = 0; attempt <= retries; attempt++) {
      this.decoder.reset();
      const answer = this.awaitAnswer();
      try {
        await this.transport.write(frame);
      } catch (err) {
        this.pending = undefined;
        throw new DeviceError('hardwareError', `cannot send ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const outcome = await answer;
      if (outcome instanceof Uint8Array) return outcome;
      lastProblem = outcome === 'damaged' ? 'damaged answer' : 'no answer';
    }
    throw new DeviceTimeoutError(`${lastProblem} to ${command.name} after ${retries + 1} attempts`);
  }

  private awaitAnswer(): Promise<'damaged' | 'timeout' | Uint8Array> {
    return new Promise((resolve) => {
      const timer: TimerHandle = this.clock.setTimeout(() => {
        this.pending = undefined;
        resolve('timeout');
      }, this.options.answerTimeoutMs);
      this.pending = (outcome) => {
        this.clock.clearTimeout(timer);
        this.pending = undefined;
        resolve(outcome);
      };
    });
  }

  private receive(chunk: Uint8Array): void {
    for (const token of this.decoder.push(chunk)) {
      if (token.type === 'byte') this.onKeyByte(token.byte);
      else if (token.type === 'frame') this.pending?.(token.text);
      // A frame cut short by a new one is followed by that frame; only checksum/ETX damage warrants a resend.
      else if (token.error.kind === 'badChecksum' || token.error.kind === 'badEtx') this.pending?.('damaged');
    }
  }
}
