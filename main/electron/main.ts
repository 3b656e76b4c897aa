import path from 'node:path';
import { app } from 'electron';
import { prepareElectronApp, startElectronHost } from './host.js';
import type { HostLog } from './log.js';
import { loadKioskRuntime } from './runtime-entry.js';

/** JSON lines on stderr: journald keeps them and the fleet agent ships them. */
const log: HostLog = (event, details) => {
  process.stderr.write(`${JSON.stringify({ event, ...details })}\n`);
};

async function run(): Promise<void> {
  // Starts alongside Electron's own start-up; the runtime needs no Electron API.
  const runtime = await loadKioskRuntime();
  const appRoot = app.getAppPath();
  const host = await startElectronHost({
    bridge: runtime.bridge,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    preloadPath: path.join(appRoot, 'dist', 'main', 'electron', 'preload.cjs'),
    log,
  });

  let stopping = false;
  app.on('will-quit', (event) => {
    // Hold the quit until the runtime has parked its devices and closed its journal.
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    host.stop();
    runtime.stop().then(
      () => app.exit(0),
      (error: unknown) => {
        log('runtime.stopFailed', { error: String(error) });
        app.exit(1);
      },
    );
  });
}

if (prepareElectronApp(log)) {
  run().catch((error: unknown) => {
    // Exit non-zero so systemd restarts the kiosk rather than leaving a blank screen.
    log('host.startFailed', { error: String(error) });
    app.exit(1);
  });
} else {
  app.quit();
}
