import type { Input, WebContents } from 'electron';
import { isAppUrl } from './origin.js';

/** Reload, full screen and devtools: blocked whatever modifiers are held. */
const ALWAYS_BLOCKED_KEYS = new Set(['F5', 'F11', 'F12']);
/** With Ctrl: reload, close, quit, print and zoom. */
const CTRL_BLOCKED_KEYS = new Set(['r', 'w', 'q', 'p', '+', '=', '-', '_', '0']);
/** The same by physical key, for non-Latin layouts and the keypad. */
const CTRL_BLOCKED_CODES = new Set([
  'KeyR',
  'KeyW',
  'KeyQ',
  'KeyP',
  'Equal',
  'Minus',
  'Digit0',
  'NumpadAdd',
  'NumpadSubtract',
  'Numpad0',
]);

/** Whether a key event is a browser shortcut a customer must not reach. */
export function isBlockedInput(input: Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'alt'>): boolean {
  if (ALWAYS_BLOCKED_KEYS.has(input.key)) return true;
  if (input.alt && input.key === 'F4') return true;
  return (
    (input.control || input.meta) &&
    (CTRL_BLOCKED_KEYS.has(input.key.toLowerCase()) || CTRL_BLOCKED_CODES.has(input.code))
  );
}

/**
 * Locks one web contents to the kiosk origin: no new windows, no navigation or
 * redirect away, no <webview>, no browser shortcuts, no pinch zoom. Installed
 * from `web-contents-created`, so it covers every contents the app ever makes.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('before-input-event', (event, input) => {
    if (isBlockedInput(input)) event.preventDefault();
  });
  // Electron disables pinch zoom by default; pinning it per page keeps it off if that default changes.
  // A page torn down meanwhile rejects, which is harmless.
  contents.on('did-finish-load', () => {
    contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
  });
}
