import type { Clock } from '../../common/clock.js';
import { DeviceTimeoutError } from '../../common/completion.js';
import type { ByteTransport } from '../../common/transport.js';

/** Takes answer bytes one at a time; returns the answer once complete. */
export type AnswerCollector<T> = (byte: number) => T | undefined;

/**
 * Sends one status request at a time and hands the bytes that come back to the
 * request's collector until it has an answer or `timeoutMs` passes. Bytes that
 * arrive while nothing is asked are line noise and dropped.
 */
export class AnswerReader {
  private pending: ((byte: number) => boolean) | undefined;

  constructor(
    private readonly transport: ByteTransport,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  ask<T>(request: Uint8Array, collect: AnswerCollector<T>, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        this.clock.clearTimeout(timer);
        this.pending = undefined;
      };
      const timer = this.clock.setTimeout(() => {
        this.pending = undefined;
        reject(new DeviceTimeoutError(`no answer to ${what}`));
      }, this.timeoutMs);
      this.pending = (byte) => {
        const answer = collect(byte);
        if (answer === undefined) return false;
        finish();
        resolve(answer);
        return true;
      };
      this.transport.write(request).catch((err: unknown) => {
        finish();
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  receive(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.pending?.(byte)) return;
    }
  }
}
