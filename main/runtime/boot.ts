import { defaultConfig, loadConfigFile } from './config.js';
import { startKioskRuntime, type KioskRuntime } from './compose.js';

/**
 * Starts the runtime the way a deployed kiosk does: the configuration file named
 * by KIOSK_CONFIG, else the embedded simulator default under KIOSK_STATE_DIR.
 * Both hosts (the CLI's browser host and the Electron shell) boot through here.
 */
export async function bootKioskRuntime(env: NodeJS.ProcessEnv = process.env): Promise<KioskRuntime> {
  const config = env.KIOSK_CONFIG
    ? await loadConfigFile(env.KIOSK_CONFIG)
    : defaultConfig(
        env.KIOSK_STATE_DIR ?? '.state',
        env.KIOSK_HOST_PORT ? Number(env.KIOSK_HOST_PORT) : undefined,
        env.KIOSK_SCANNER_PORT ? Number(env.KIOSK_SCANNER_PORT) : undefined,
      );
  return startKioskRuntime({ config });
}
