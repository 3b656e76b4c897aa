import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatorControlError, type DeviceSimulator } from '../common/simulator.js';

const MAX_BODY_BYTES = 16 * 1024;

/** What the developer API needs of a simulator: pty devices and TCP services (the bank host) alike. */
export type ControllableSimulator = Pick<DeviceSimulator, 'snapshot' | 'control'>;

/**
 * The developer API of the running simulators, on loopback only:
 *   GET  /sim                 → every simulator's snapshot
 *   GET  /sim/<name>          → one snapshot
 *   POST /sim/<name>/<action> → apply an action (JSON body), returns the new snapshot
 * Tests and developers use it to insert cards, press keys, open doors.
 */
export async function startControlServer(
  simulators: ReadonlyMap<string, ControllableSimulator>,
  port = 0,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void handle(simulators, req, res).catch((err: unknown) => reply(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, server };
}

async function handle(
  simulators: ReadonlyMap<string, ControllableSimulator>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parts = new URL(req.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean);
  if (parts[0] !== 'sim') return reply(res, 404, { error: 'not found' });
  const [, name, action] = parts;
  if (req.method === 'GET' && name === undefined) {
    return reply(res, 200, Object.fromEntries([...simulators].map(([n, s]) => [n, s.snapshot()])));
  }
  const simulator = name === undefined ? undefined : simulators.get(name);
  if (!simulator) return reply(res, 404, { error: `no simulator "${name ?? ''}"` });
  if (req.method === 'GET' && action === undefined) return reply(res, 200, simulator.snapshot());
  if (req.method !== 'POST' || action === undefined) return reply(res, 405, { error: 'use POST /sim/<name>/<action>' });
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (err) {
    return reply(res, 400, { error: String(err) });
  }
  try {
    return reply(res, 200, simulator.control(action, body) ?? {});
  } catch (err) {
    if (err instanceof SimulatorControlError) return reply(res, 400, { error: err.message });
    throw err;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
