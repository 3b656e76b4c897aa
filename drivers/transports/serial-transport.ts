import { SerialPortStream } from '@serialport/stream';
import { eventLoopBinding } from './serial-binding.js';
import { EventHub, type Unsubscribe } from '../common/events.js';
import type { ByteTransport } from '../common/transport.js';

export interface SerialTransportOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly dataBits?: 7 | 8;
  readonly parity?: 'none' | 'even' | 'odd';
  readonly stopBits?: 1 | 2;
}

interface SerialEvents {
  data: Uint8Array;
  close: Error | undefined;
}

/**
 * A serial port (real UART, USB-serial or a pty) as a ByteTransport. Modem
 * lines are never touched: pseudo-terminals reject those ioctls, and drivers
 * that need DSR/CTS take them as an option of their own.
 */
export class SerialTransport implements ByteTransport {
  readonly kind = 'serial' as const;
  readonly description: string;
  private port: SerialPortStream | undefined;
  private readonly hub = new EventHub<SerialEvents>();

  constructor(private readonly options: SerialTransportOptions) {
    this.description = `${options.path}@${options.baudRate}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.port?.isOpen) return;
    const port = new SerialPortStream({
      path: this.options.path,
      baudRate: this.options.baudRate,
      dataBits: this.options.dataBits ?? 8,
      parity: this.options.parity ?? 'none',
      stopBits: this.options.stopBits ?? 1,
      autoOpen: false,
      lock: true,
      binding: eventLoopBinding,
    });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.hub.emit('data', new Uint8Array(chunk)));
    port.on('close', (err: Error | null) => this.hub.emit('close', err ?? undefined));
    // Errors after open also surface as 'close'; without a listener Node would crash.
    port.on('error', () => undefined);
    this.port = port;
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`${this.description} is not open`);
    await new Promise<void>((resolve, reject) =>
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) =>
        err ? reject(err) : port.drain((drainErr) => (drainErr ? reject(drainErr) : resolve())),
      ),
    );
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.hub.on('data', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}
