import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { systemClock } from '../../drivers/common/clock.js';
import { startControlServer } from '../launcher/control-server.js';
import { DEMO_IMK, DEMO_TMK, HostSimulator } from './host-sim.js';

/**
 * Runs the host simulator on its own (the launcher also starts it among its TCP services):
 * KIOSK_SIM_HOST_PORT (default 0 = free), KIOSK_SIM_HOST_CONTROL_PORT (default 0), state in
 * <KIOSK_STATE_DIR>/run/host-sim. Writes host-sim.json with both ports.
 */
const runDir = resolve(process.env.KIOSK_STATE_DIR ?? '.state', 'run');
const dir = join(runDir, 'host-sim');
await mkdir(dir, { recursive: true });

const simulator = new HostSimulator({ dir, clock: systemClock, tmk: DEMO_TMK, imk: DEMO_IMK });
const port = await simulator.listen(Number(process.env.KIOSK_SIM_HOST_PORT ?? 0));
const control = await startControlServer(
  new Map([[simulator.name, simulator]]),
  Number(process.env.KIOSK_SIM_HOST_CONTROL_PORT ?? 0),
);
const manifest = { pid: process.pid, host: '127.0.0.1', port, controlUrl: control.url };
await writeFile(join(runDir, 'host-sim.json'), JSON.stringify(manifest, null, 2));
process.stdout.write(`host simulator ready: ${JSON.stringify(manifest)}\n`);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  control.server.close();
  void simulator.close().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
