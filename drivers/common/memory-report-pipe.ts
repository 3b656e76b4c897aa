import { EventHub, type Unsubscribe } from './events.js';
import type { ReportTransport } from './transport.js';

interface PipeEvents {
  report: { reportId: number; data: Uint8Array };
  close: Error | undefined;
}

/**
 * One end of an in-memory HID report pipe: a report sent on one end arrives
 * whole on the other a microtask later, never re-entrantly. There is no virtual
 * HID on a Linux box without /dev/uhid, so HID drivers are tested over this.
 */
class ReportEnd implements ReportTransport {
  readonly kind = 'memory' as const;
  peer!: ReportEnd;
  private opened = false;
  private readonly hub = new EventHub<PipeEvents>();

  constructor(readonly description: string) {}

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

  sendReport(reportId: number, data: Uint8Array): Promise<void> {
    if (!this.opened) return Promise.reject(new Error(`${this.description} is not open`));
    const copy = data.slice();
    queueMicrotask(() => {
      if (this.peer.opened) this.peer.hub.emit('report', { reportId, data: copy });
    });
    return Promise.resolve();
  }

  onReport(listener: (reportId: number, data: Uint8Array) => void): Unsubscribe {
    return this.hub.on('report', ({ reportId, data }) => listener(reportId, data));
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}

/** Creates two connected in-memory report transports: host side and device side. */
export function createMemoryReportPipe(name = 'hid'): { host: ReportTransport; device: ReportTransport } {
  const host = new ReportEnd(`${name}:host`);
  const device = new ReportEnd(`${name}:device`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
