import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_CLIENT_MESSAGE_BYTES } from '../ipc-contract/intents.js';
import type { RendererBridge } from '../runtime/bridge.js';
import type { Logger } from '../runtime/logger.js';
import { securityHeaders } from './security-headers.js';
import { readStatic, resolveStaticPath } from './static-files.js';

export const BRIDGE_PATH = '/bridge';

export interface BrowserHostOptions {
  readonly bridge: RendererBridge;
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  readonly log: Logger;
}

export interface BrowserHost {
  /** The kiosk page, carrying this boot's token. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves the renderer on loopback and bridges the kiosk API over a WebSocket.
 * A socket is accepted only with this boot's random token and only from the
 * page's own origin, so another local page or process cannot drive the kiosk.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = randomBytes(24).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = securityHeaders(origin);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });

  server.on('request', (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const file = resolveStaticPath(options.rendererDir, new URL(req.url ?? '/', origin).pathname);
    void (file ? readStatic(file) : Promise.resolve(undefined)).then((found) => {
      if (!found) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': found.type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : found.body);
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req, origin, token);
    if (refusal) {
      options.log.warn({ reason: refusal, origin: req.headers.origin }, 'renderer socket refused');
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options.bridge));
  });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    close: () => closeAll(server, wss),
  };
}

function refuseUpgrade(req: IncomingMessage, origin: string, token: string): string | undefined {
  const url = new URL(req.url ?? '/', origin);
  if (url.pathname !== BRIDGE_PATH) return 'wrong path';
  if (req.headers.origin !== origin) return 'foreign origin';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad token';
  return undefined;
}

function attach(ws: WebSocket, bridge: RendererBridge): void {
  const connection = bridge.connect((message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('message', (data, isBinary) => {
    connection.receive(isBinary ? undefined : data.toString());
  });
  ws.on('close', () => connection.close());
  ws.on('error', () => ws.terminate());
}

async function closeAll(server: Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
