import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep a kiosk Chromium quiet on a closed network and locked to the app. */
export function kioskChromiumArgs(url: string, profileDir: string): string[] {
  return [
    `--app=${url}`,
    '--kiosk',
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-translate',
    '--disable-features=Translate,MediaRouter',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--autoplay-policy=no-user-gesture-required',
    '--touch-events=enabled',
    '--window-position=0,0',
    '--window-size=1280,800',
  ];
}

/**
 * Opens the kiosk page in Chromium's kiosk/app mode. Without a display it runs
 * under xvfb-run when that is installed (for screenshots and smoke runs).
 */
export function launchChromium(url: string, profileDir: string): ChildProcess {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  const args = kioskChromiumArgs(url, profileDir);
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  if (process.env.DISPLAY) return spawn(CHROMIUM_PATH, args, { stdio: 'ignore' });
  return spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', CHROMIUM_PATH, ...args], { stdio: 'ignore' });
}
