import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startSimulators } from './simulator-set.js';

/**
 * Runs every device simulator in its own process, so the kiosk runtime can be
 * killed and restarted while the devices keep their state, as real ones do.
 * Writes `<runDir>/simulators.json` with the developer API URL and the ports.
 */
const runDir = resolve(process.env.KIOSK_STATE_DIR ?? '.state', 'run');
const controlPort = Number(process.env.KIOSK_SIM_CONTROL_PORT ?? 0);
// 18583 is where the runtime's default configuration looks for the bank host.
const hostPort = Number(process.env.KIOSK_SIM_HOST_PORT ?? 18583);
// 18584: the default configuration's HID barcode scanner (reports over loopback TCP). A launcher
// asked for a free host port (tests running side by side) takes a free scanner port as well.
const scannerPort = Number(process.env.KIOSK_SIM_SCANNER_PORT ?? (hostPort === 0 ? 0 : 18584));

const vpcdSlot = Number(process.env.KIOSK_VPCD_SLOT ?? 0);
const running = await startSimulators({ runDir, controlPort, tcpPorts: { host: hostPort, scanner: scannerPort }, vpcdSlot });
const manifest = {
  pid: process.pid,
  controlUrl: running.controlUrl,
  pcscd: running.pcscd,
  ports: Object.fromEntries(running.ports),
  /** TCP services on 127.0.0.1: tcpServices.host = the bank host simulator, tcpServices.scanner = the HID scanner bridge. */
  tcpServices: Object.fromEntries(running.tcpPorts),
};
await writeFile(join(runDir, 'simulators.json'), JSON.stringify(manifest, null, 2));
process.stdout.write(`simulators ready: ${JSON.stringify(manifest)}\n`);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  void running.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
