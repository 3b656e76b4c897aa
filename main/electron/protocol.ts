import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './origin.js';
import { CONTENT_SECURITY_POLICY } from './session.js';

/**
 * Declares `app:` a standard, secure scheme. Must run before the app is ready,
 * so the renderer gets a real origin (storage, CSP 'self', fetch) without file://.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Maps an `app://kiosk/...` URL to a file under `rootDir`, or null when the URL
 * names another host, is malformed, or would leave `rootDir` once decoded
 * (`%2e%2e%2f`, `..%2f`: URL parsing only normalises literal dot segments).
 */
export function resolveAppPath(rootDir: string, url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  if (relative === '/') relative = '/index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${relative}`);
  return isInside(root, file) ? file : null;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

const notFound = (): Response => new Response('Not found', { status: 404 });

/**
 * Serves one request from `rootDir`. Symlinks are resolved before the
 * containment check so a link inside the build cannot point outside it.
 */
export async function serveAppRequest(rootDir: string, request: Request): Promise<Response> {
  const file = resolveAppPath(rootDir, request.url);
  if (file === null) return notFound();
  let real: string;
  try {
    real = await realpath(file);
    if (!isInside(await realpath(rootDir), real) || !(await stat(real)).isFile()) return notFound();
  } catch {
    return notFound();
  }
  const response = await net.fetch(pathToFileURL(real).toString());
  // Set here because webRequest header hooks (session.ts) skip custom-protocol responses.
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, headers });
}

/** Serves the built renderer on `app://kiosk/` for the default session. */
export function registerAppProtocol(rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rootDir, request));
}
