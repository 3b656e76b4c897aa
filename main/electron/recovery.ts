import type { BrowserWindow } from 'electron';
import type { HostLog } from './log.js';

/** Long enough not to spin on a renderer that dies at once, short enough that a customer barely notices. */
export const RELOAD_DELAY_MS = 1_000;
/** How long a hung page may stay frozen before it is killed (and then reloaded as a crash). */
export const HANG_TIMEOUT_MS = 10_000;

/**
 * Keeps the kiosk page alive without an operator: a dead renderer is reloaded,
 * a hung one is crashed so the reload path takes over.
 */
export function superviseRenderer(window: BrowserWindow, log: HostLog): void {
  const contents = window.webContents;
  let hangTimer: NodeJS.Timeout | undefined;
  const cancelHangTimer = (): void => {
    clearTimeout(hangTimer);
    hangTimer = undefined;
  };

  contents.on('render-process-gone', (_event, details) => {
    cancelHangTimer();
    log('renderer.gone', { reason: details.reason, exitCode: details.exitCode });
    setTimeout(() => {
      if (!window.isDestroyed()) contents.reload();
    }, RELOAD_DELAY_MS);
  });
  window.on('unresponsive', () => {
    log('renderer.unresponsive');
    hangTimer ??= setTimeout(() => {
      hangTimer = undefined;
      if (!window.isDestroyed()) contents.forcefullyCrashRenderer();
    }, HANG_TIMEOUT_MS);
  });
  window.on('responsive', cancelHangTimer);
  window.on('closed', cancelHangTimer);
}
