import { readSync, writeSync } from 'node:fs';
import {
  autoDetect,
  type BindingInterface,
  type BindingPortInterface,
  type OpenOptions,
} from '@serialport/bindings-cpp';

/** What serialport's Unix binding (Linux, macOS) adds to a port: its descriptor and the poller watching it. */
interface PolledPort extends BindingPortInterface {
  readonly fd: number | null;
  readonly poller: {
    once(event: Readiness, callback: (err?: Error) => void): void;
    /** Starts watching exactly these events (libuv flags), replacing what was watched. */
    poll(events: number): void;
  };
}

type Readiness = 'readable' | 'writable';

/** libuv's uv_poll_event flags, as the binding's poller takes them. */
const UV_FLAGS: Record<Readiness, number> = { readable: 1, writable: 2 };

/** What each port's reads and writes are waiting for now. */
const waiting = new WeakMap<PolledPort, Set<Readiness>>();

const platform = autoDetect() as BindingInterface;
const WOULD_BLOCK = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

/**
 * serialport's binding for this platform, with reads and writes done on the
 * event loop. Its Unix binding opens the port non-blocking (O_NONBLOCK) and
 * waits for readiness with a poller, then still hands every read and write to
 * libuv's thread pool: two thread hand-offs per chunk, which on a busy
 * two-core kiosk cost more than the transfer. Here a ready descriptor is read
 * or written at once (non-blocking, so the loop never stalls) and only "not
 * ready" waits on the poller. Opening, settings, flush and drain stay
 * serialport's; a port without a poller (Windows) is left as it is.
 */
export const eventLoopBinding: BindingInterface = {
  list: () => platform.list(),
  async open(options: OpenOptions): Promise<BindingPortInterface> {
    const port = await platform.open(options);
    if (!isPolled(port)) return port;
    port.read = (buffer, offset, length) => readNow(port, buffer, offset, length);
    port.write = (buffer) => writeAll(port, buffer);
    return port;
  },
};

function isPolled(port: BindingPortInterface): port is PolledPort {
  const p = port as Partial<PolledPort>;
  return typeof p.fd === 'number' && typeof p.poller?.once === 'function';
}

async function readNow(
  port: PolledPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    try {
      const bytesRead = readSync(openFd(port), buffer, offset, length, null);
      // Nothing yet (a pty between writers): wait for data as for EAGAIN.
      if (bytesRead > 0) return { buffer, bytesRead };
    } catch (err) {
      if (!WOULD_BLOCK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    await ready(port, 'readable');
  }
}

async function writeAll(port: PolledPort, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(openFd(port), buffer, offset, buffer.length - offset);
      continue;
    } catch (err) {
      if (!WOULD_BLOCK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
    await ready(port, 'writable');
  }
}

/** A closed port's pending read ends as serialport's do: canceled, which its stream does not take for a disconnect. */
function openFd(port: PolledPort): number {
  if (!port.isOpen || port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
  return port.fd;
}

/**
 * Waits until the descriptor is ready. The poller starts watching only the
 * event just asked for, dropping the other one: a write waiting for room
 * while a read waits for data would lose one of the two and could hang for
 * good. So after asking, every event still awaited on the port is watched
 * again.
 */
function ready(port: PolledPort, event: Readiness): Promise<void> {
  // One read and one write at a time per port (serialport's stream sees to it).
  const pending = waiting.get(port) ?? new Set<Readiness>();
  waiting.set(port, pending);
  pending.add(event);
  return new Promise<void>((resolve, reject) => {
    port.poller.once(event, (err) => {
      pending.delete(event);
      if (err) reject(err);
      else resolve();
    });
    let flags = 0;
    for (const awaited of pending) flags |= UV_FLAGS[awaited];
    port.poller.poll(flags);
  });
}
