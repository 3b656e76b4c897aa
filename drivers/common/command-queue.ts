import { CanceledError } from './completion.js';

/**
 * Runs commands one at a time per device, as XFS4IoT services do. A command
 * whose signal aborts while it waits is dropped with CanceledError and never
 * reaches the device.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(signal: AbortSignal, body: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (signal.aborted) throw new CanceledError('command canceled before it started');
      return body();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
