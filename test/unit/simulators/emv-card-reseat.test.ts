import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport } from '../../../drivers/transports/tcp-transport.js';
import { EmvCardSimulator } from '../../../simulators/emv-card/emv-card-sim.js';
import { until } from '../../integration/host-support.js';

/*
 * A loopback listener stands in for vpcd's card port: the card simulator
 * must stay seated while the reader goes away (pcscd restarting) and connect
 * again when it is back, and stop trying once taken out.
 */
const WAIT_MS = 3000;
let server: Server | undefined;
let card: EmvCardSimulator | undefined;

afterEach(async () => {
  await card?.remove();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function listen(port = 0): Promise<{ port: number; connections: Socket[] }> {
  const connections: Socket[] = [];
  server = createServer((socket) => connections.push(socket));
  return new Promise((resolve) =>
    server?.listen(port, '127.0.0.1', () =>
      resolve({ port: (server?.address() as { port: number }).port, connections }),
    ),
  );
}

describe('a seated chip card and a reader that goes away', () => {
  it('connects again after vpcd drops the connection', async () => {
    const vpcd = await listen();
    card = new EmvCardSimulator({ connect: () => new TcpTransport({ host: '127.0.0.1', port: vpcd.port }) });
    await card.insert();
    await until(() => vpcd.connections.length === 1, WAIT_MS);
    vpcd.connections[0]?.destroy();
    await until(() => !card?.inserted, WAIT_MS);
    await until(() => vpcd.connections.length === 2, WAIT_MS);
    await until(() => card?.inserted === true, WAIT_MS);
  });

  it('keeps trying while vpcd is not listening, and connects once it is', async () => {
    const probe = await listen();
    const port = probe.port;
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    card = new EmvCardSimulator({ connect: () => new TcpTransport({ host: '127.0.0.1', port }) });
    await expect(card.insert()).rejects.toThrow();
    expect(card.snapshot().inserted).toBe(false);
    const vpcd = await listen(port);
    await until(() => vpcd.connections.length === 1, WAIT_MS);
    await until(() => card?.inserted === true, WAIT_MS);
  });

  it('stops trying once the card is taken out', async () => {
    const vpcd = await listen();
    card = new EmvCardSimulator({ connect: () => new TcpTransport({ host: '127.0.0.1', port: vpcd.port }) });
    await card.insert();
    await until(() => vpcd.connections.length === 1, WAIT_MS);
    await card.remove();
    await new Promise((resolve) => setTimeout(resolve, 600)); // more than two reconnection periods
    expect(vpcd.connections).toHaveLength(1);
    expect(card.inserted).toBe(false);
  });
});
