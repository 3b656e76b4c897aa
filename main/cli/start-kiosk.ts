import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../../drivers/common/clock.js';
import { launchChromium } from '../browser-host/chromium.js';
import { startBrowserHost } from '../browser-host/server.js';
import { ConfigError, defaultConfig, loadConfigFile } from '../runtime/config.js';
import { startKioskRuntime } from '../runtime/compose.js';
import { createLogger } from '../runtime/logger.js';

/**
 * Starts the kiosk runtime with the browser host. Simulators are a separate
 * process (see `simulators/launcher/main.ts`); this one only opens the ports
 * the configuration names.
 */
const { values } = parseArgs({
  options: {
    config: { type: 'string', default: process.env.KIOSK_CONFIG },
    'state-dir': { type: 'string', default: process.env.KIOSK_STATE_DIR ?? '.state' },
    port: { type: 'string' },
    browser: { type: 'boolean', default: false },
  },
});

const started = systemClock.monotonic();
const IN_SERVICE_WAIT_MS = 5000;
let config;
try {
  config = values.config
    ? await loadConfigFile(values.config)
    : defaultConfig(
        values['state-dir'],
        process.env.KIOSK_HOST_PORT ? Number(process.env.KIOSK_HOST_PORT) : undefined,
        process.env.KIOSK_SCANNER_PORT ? Number(process.env.KIOSK_SCANNER_PORT) : undefined,
      );
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
if (values.port !== undefined) config = { ...config, ui: { ...config.ui, port: Number(values.port) } };

const log = createLogger(config.kioskId);
const rendererDir = resolve('dist/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  process.stderr.write('The renderer is not built: run `npm run build:renderer` first.\n');
  process.exit(2);
}

let runtime;
try {
  runtime = startKioskRuntime({ config, log });
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
const host = await startBrowserHost({ bridge: runtime.bridge, rendererDir, port: config.ui.port, log });
await runtime.ready;
// Devices are open; the host signs on just after. Report the kiosk's state once it settles.
const inService = await runtime.whenInService(IN_SERVICE_WAIT_MS);
const elapsed = Math.round(systemClock.monotonic() - started);
const reasons = runtime.view().availability.reasons.join(', ');
process.stdout.write(
  `Kiosk ${config.kioskId} is ${inService ? 'in service' : `OUT OF SERVICE (${reasons})`} after ${elapsed} ms\n` +
    `Open: ${host.url}\n`,
);
const browser = values.browser ? launchChromium(host.url, join(config.stateDir, 'chromium-profile')) : undefined;

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  browser?.kill('SIGTERM');
  void Promise.all([host.close(), runtime.stop()]).finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
