import { Socket } from 'node:net';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { ByteTransport } from '../common/transport.js';

interface TcpEvents {
  data: Uint8Array;
  close: Error | undefined;
}

/** A TCP client connection as a ByteTransport (network-attached devices, serial servers). */
export class TcpTransport implements ByteTransport {
  readonly kind = 'tcp' as const;
  readonly description: string;
  private socket: Socket | undefined;
  private readonly hub = new EventHub<TcpEvents>();

  constructor(private readonly options: { host: string; port: number }) {
    this.description = `${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.isOpen) return;
    const socket = new Socket();
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        socket.destroy();
        reject(new Error(`connect to ${this.description} aborted`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      });
      socket.connect(this.options.port, this.options.host, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    socket.on('data', (chunk: Buffer) => this.hub.emit('data', new Uint8Array(chunk)));
    socket.on('error', () => undefined); // 'close' follows and carries the outcome
    socket.on('close', (hadError) => {
      this.socket = undefined;
      this.hub.emit('close', hadError ? new Error(`${this.description} closed with an error`) : undefined);
    });
    this.socket = socket;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon();
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error(`${this.description} is not connected`);
    await new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.hub.on('data', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}
