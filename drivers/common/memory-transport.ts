import { EventHub, type Unsubscribe } from './events.js';
import type { ByteTransport } from './transport.js';

interface PipeEvents {
  data: Uint8Array;
  close: Error | undefined;
}

/**
 * One end of an in-memory byte pipe. Bytes written on one end arrive on the
 * other asynchronously (a microtask later), like a real link, never re-entrantly.
 */
class MemoryEnd implements ByteTransport {
  readonly kind = 'memory' as const;
  peer!: MemoryEnd;
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

  write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) return Promise.reject(new Error(`${this.description} is not open`));
    const copy = bytes.slice();
    queueMicrotask(() => {
      if (this.peer.opened) this.peer.hub.emit('data', copy);
    });
    return Promise.resolve();
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.hub.on('data', listener);
  }

  onClose(listener: (reason?: Error) => void): Unsubscribe {
    return this.hub.on('close', listener);
  }
}

/** Creates two connected in-memory byte transports: host side and device side. */
export function createMemoryPipe(name = 'memory'): { host: ByteTransport; device: ByteTransport } {
  const host = new MemoryEnd(`${name}:host`);
  const device = new MemoryEnd(`${name}:device`);
  host.peer = device;
  device.peer = host;
  return { host, device };
}
