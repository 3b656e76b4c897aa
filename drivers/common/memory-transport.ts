import { EventHub, type Unsubscribe } from './events.js';
import type { ByteTransport, ReportTransport } from './transport.js';

interface PipeEvents<M> {
  message: M;
  close: Error | undefined;
}

/**
 * One end of an in-memory pipe carrying messages of type M (byte chunks or
 * HID reports). A message sent on one end arrives on the other asynchronously
 * (a microtask later), like a real link, never re-entrantly.
 */
class PipeEnd<M> {
  readonly kind = 'memory' as const;
  peer!: PipeEnd<M>;
  private opened = false;
  private readonly hub = new EventHub<PipeEvents<M>>();

  constructor(
    readonly description: string,
    private readonly copy: (message: M) => M,
  ) {}

  get isOpen(): boolean {
    return this.opened;
  }

  open(): Promise<void> {
    this.opened = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.opened) {
      this.opened = false;
      this.hub.emit('close', undefined);
    }
    return Promise.resolve();
  }

  protected send(message: M): Promise<void> {
    if (!this.opened) return Promise.reject(new Error(`${this.description} is not open`));
    const copy = this.copy(message);
    queueMicrotask(() => {
      if (this.peer.opened) this.peer.hub.emit('message', copy);
    });
    return Promise.resolve();
  }

  protected onMessage(listener: (message: M) => void): Unsubscribe {
    return this.hub.on('message', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}

function connect<M>(a: PipeEnd<M>, b: PipeEnd<M>): void {
  a.peer = b;
  b.peer = a;
}

class ByteEnd extends PipeEnd<Uint8Array> implements ByteTransport {
  constructor(description: string) {
    super(description, (bytes) => bytes.slice());
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.send(bytes);
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.onMessage(listener);
  }
}

interface Report {
  readonly reportId: number;
  readonly data: Uint8Array;
}

class ReportEnd extends PipeEnd<Report> implements ReportTransport {
  constructor(description: string) {
    super(description, ({ reportId, data }) => ({ reportId, data: data.slice() }));
  }

  sendReport(reportId: number, data: Uint8Array): Promise<void> {
    return this.send({ reportId, data });
  }

  onReport(listener: (reportId: number, data: Uint8Array) => void): Unsubscribe {
    return this.onMessage(({ reportId, data }) => listener(reportId, data));
  }
}

/** Creates two connected in-memory byte transports: host side and device side. */
export function createMemoryPipe(name = 'memory'): { host: ByteTransport; device: ByteTransport } {
  const host = new ByteEnd(`${name}:host`);
  const device = new ByteEnd(`${name}:device`);
  connect(host, device);
  return { host, device };
}

/**
 * Creates two connected in-memory HID report transports. There is no virtual
 * HID on a Linux box without /dev/uhid, so HID drivers are tested over this.
 */
export function createMemoryReportPipe(name = 'hid'): { host: ReportTransport; device: ReportTransport } {
  const host = new ReportEnd(`${name}:host`);
  const device = new ReportEnd(`${name}:device`);
  connect(host, device);
  return { host, device };
}
