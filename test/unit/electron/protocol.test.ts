import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAppProtocol, registerAppScheme, resolveAppPath } from '../../../main/electron/protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../main/electron/session.js';
import { net, protocol } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

let sandbox: string;
let root: string;

beforeAll(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'kiosk-protocol-'));
  root = path.join(sandbox, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await writeFile(path.join(root, 'assets', 'app.js'), '');
  await writeFile(path.join(sandbox, 'secret.txt'), 'PIN key');
  await symlink(path.join(sandbox, 'secret.txt'), path.join(root, 'leak.txt'));
});
afterAll(() => rm(sandbox, { recursive: true, force: true }));
beforeEach(() => {
  protocol.handle.mockClear();
  net.fetch.mockClear();
});

function serve(url: string): Promise<Response> {
  registerAppProtocol(root);
  const [scheme, handler] = protocol.handle.mock.calls[0]!;
  expect(scheme).toBe('app');
  return handler(new Request(url));
}

const fetchedPaths = () => net.fetch.mock.calls.map(([url]) => url);

describe('app:// protocol', () => {
  it('registers app: as a standard, secure scheme', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });

  it('serves the renderer root as index.html, with the CSP header', async () => {
    const response = await serve('app://kiosk/');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(fetchedPaths()).toEqual([pathToFileURL(path.join(root, 'index.html')).toString()]);
  });

  it('serves nested files', async () => {
    expect((await serve('app://kiosk/assets/app.js')).status).toBe(200);
  });

  it.each([
    'app://kiosk/../../etc/passwd',
    'app://kiosk/%2e%2e/%2e%2e/etc/passwd',
    'app://kiosk/..%2fsecret.txt',
    'app://kiosk/assets/..%2F..%2Fsecret.txt',
    'app://kiosk/%2Fetc%2Fpasswd',
    'app://kiosk/leak.txt',
    'app://kiosk/index.html%00.js',
    'app://kiosk/%E0%A4%A',
    'app://kiosk/assets',
    'app://kiosk/missing.js',
    'app://evil/index.html',
  ])('refuses %s without reading outside the renderer', async (url) => {
    const response = await serve(url);
    expect(response.status).toBe(404);
    expect(fetchedPaths()).toEqual([]);
  });

  it('resolves only paths inside the root', () => {
    expect(resolveAppPath(root, 'app://kiosk/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    // Literal dot segments are normalised away by URL parsing, so this stays inside the root.
    expect(resolveAppPath(root, 'app://kiosk/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppPath(root, 'app://kiosk/..hidden.js')).toBe(path.join(root, '..hidden.js'));
    expect(resolveAppPath(root, 'app://kiosk/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppPath(root, 'app://kiosk/%2e%2e')).toBeNull();
    expect(resolveAppPath(root, 'https://kiosk/index.html')).toBeNull();
  });
});
