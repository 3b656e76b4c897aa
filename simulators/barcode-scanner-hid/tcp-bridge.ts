import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { EventHub, type Unsubscribe } from '../../drivers/common/events.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { ReportStreamTransport } from '../../drivers/transports/report-stream-transport.js';
import type { HidScannerSimulator } from './hid-scanner-sim.js';

/** An accepted loopback connection as a ByteTransport (already open). */
class AcceptedSocket implements ByteTransport {
  readonly kind = 'tcp' as const;
  readonly description: string;
  private readonly hub = new EventHub<{ data: Uint8Array; close: Error | undefined }>();

  constructor(private readonly socket: Socket) {
    this.description = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.hub.emit('data', new Uint8Array(chunk)));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.hub.emit('close', undefined));
  }

  get isOpen(): boolean {
    return !this.socket.destroyed;
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.socket.destroy();
    return Promise.resolve();
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.hub.on('data', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}

/**
 * Serves the simulated HID scanner on 127.0.0.1: the kiosk runtime connects
 * with a ReportStreamTransport (frames `report ID, length, data`) because there
 * is no virtual HID on this machine. The latest connection is the scanner's
 * cable; a reconnect (runtime restart) replaces it.
 */
export async function serveScannerOverTcp(
  simulator: HidScannerSimulator,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    const link = new ReportStreamTransport(new AcceptedSocket(socket));
    void simulator.attach(link).then(() => {
      link.onClose(() => {
        void simulator.detachIf(link);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      await simulator.detach();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
