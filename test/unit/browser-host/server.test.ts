import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../main/browser-host/server.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { RendererHub } from '../../../main/runtime/renderer-bridge.js';

let host: BrowserHost;
const hub = new RendererHub(() => ({ accepted: true }), pino({ level: 'silent' }));

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kiosk-host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>k</title>');
  hub.publish({ seq: 1, screen: 'welcome' } as SessionView);
  host = await startBrowserHost({ bridge: hub, rendererDir: dir, port: 0, log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await host.close();
});

function open(url: string, origin: string): Promise<{ ok: boolean; first?: unknown }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { origin } });
    ws.once('message', (data) => {
      resolve({ ok: true, first: JSON.parse(data.toString()) as unknown });
      ws.close();
    });
    ws.once('error', () => resolve({ ok: false }));
  });
}

describe('browser host', () => {
  it('serves the page with security headers, on loopback only', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${host.origin}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('bridges the API for the page origin with the boot token', async () => {
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const result = await open(`${host.origin.replace('http', 'ws')}/bridge?token=${token}`, host.origin);
    expect(result).toEqual({ ok: true, first: { kind: 'view', view: { seq: 1, screen: 'welcome' } } });
  });

  it('refuses a socket from another origin even with the right token', async () => {
    const token = new URL(host.url).searchParams.get('token') ?? '';
    const result = await open(`${host.origin.replace('http', 'ws')}/bridge?token=${token}`, 'http://evil.example');
    expect(result.ok).toBe(false);
  });

  it('refuses a socket with a wrong token', async () => {
    const result = await open(`${host.origin.replace('http', 'ws')}/bridge?token=AAAA`, host.origin);
    expect(result.ok).toBe(false);
  });
});
