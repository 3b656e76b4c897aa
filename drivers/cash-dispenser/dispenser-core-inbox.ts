import type { Clock, TimerHandle } from '../common/clock.js';
import { DeviceError, DeviceTimeoutError } from '../common/completion.js';
import type { ByteTransport } from '../common/transport.js';

/**
 * The waiting half of a dispenser link layer: decoded tokens queue here and a
 * link takes them in batches, with a deadline on the injected Clock. Both
 * dispenser links (LCDM, F56) use it so their timeouts behave the same.
 */
export class TokenInbox<T> {
  private queue: T[] = [];
  private wake: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  push(tokens: readonly T[]): void {
    if (tokens.length === 0) return;
    this.queue.push(...tokens);
    this.wake?.();
  }

  /** Puts tokens back at the front, e.g. what followed an ACK in the same chunk. */
  unshift(tokens: readonly T[]): void {
    this.queue.unshift(...tokens);
  }

  clear(): void {
    this.queue = [];
  }

  /** The tokens received so far, or the next ones; DeviceTimeoutError at `until` (monotonic ms). */
  async next(until: number, what: string): Promise<T[]> {
    if (this.queue.length === 0) {
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
    return this.queue.splice(0);
  }
}

/** Writes to the transport; a failed write is a hardware error of the link. */
export async function writeOrFail(transport: ByteTransport, bytes: Uint8Array, name: string): Promise<void> {
  try {
    await transport.write(bytes);
  } catch (err) {
    throw new DeviceError('hardwareError', `cannot send ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
