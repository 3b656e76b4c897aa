import { connect, type TLSSocket } from 'node:tls';
import { EventHub, type Unsubscribe } from '../../../drivers/common/events.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';

/** PEM material for TLS to the host; `cert` + `key` make it mutual TLS. */
export interface TlsOptions {
  /** Trusted CA certificate(s) for the host's certificate. */
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
  /** Name checked against the host certificate; defaults to the host name. */
  readonly servername?: string;
}

interface TlsEvents {
  data: Uint8Array;
  close: Error | undefined;
}

/**
 * TcpTransport's TLS twin (drivers/transports has no TLS). The host certificate is always
 * verified against `ca`; there is no switch to turn that off.
 */
export class TlsTransport implements ByteTransport {
  readonly kind = 'tcp' as const;
  readonly description: string;
  #socket: TLSSocket | undefined;
  readonly #hub = new EventHub<TlsEvents>();

  constructor(private readonly options: { host: string; port: number; tls: TlsOptions }) {
    this.description = `tls://${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.isOpen) return;
    const { host, port, tls } = this.options;
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = connect({
        host,
        port,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        servername: tls.servername ?? host,
        rejectUnauthorized: true,
      });
      const onAbort = (): void => {
        s.destroy();
        reject(new Error(`connect to ${this.description} aborted`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      s.once('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      });
      s.once('secureConnect', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve(s);
      });
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#hub.emit('data', new Uint8Array(chunk)));
    socket.on('error', () => undefined); // 'close' follows and carries the outcome
    socket.on('close', (hadError) => {
      this.#socket = undefined;
      this.#hub.emit('close', hadError ? new Error(`${this.description} closed with an error`) : undefined);
    });
    this.#socket = socket;
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket) throw new Error(`${this.description} is not connected`);
    await new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.#hub.on('data', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.#hub.on('close', listener);
  }
}
