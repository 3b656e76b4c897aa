import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../drivers/common/clock.js';
import type { DeviceSimulator } from '../common/simulator.js';
import { HidScannerSimulator } from '../barcode-scanner-hid/hid-scanner-sim.js';
import { serveScannerOverTcp } from '../barcode-scanner-hid/tcp-bridge.js';
import { DEMO_IMK, DEMO_TMK, HostSimulator } from '../host/host-sim.js';

/** A simulator that is a TCP server on loopback (the bank host), not a device on a pty. */
export interface TcpService {
  readonly name: string;
  readonly port: number;
  readonly simulator: Pick<DeviceSimulator, 'snapshot' | 'control'>;
  close(): Promise<void>;
}

export interface TcpServiceEntry {
  readonly name: string;
  start(runDir: string, port: number): Promise<TcpService>;
}

export const TCP_SERVICES: readonly TcpServiceEntry[] = [
  {
    name: 'host',
    async start(runDir, port) {
      const dir = join(runDir, 'host-sim');
      await mkdir(dir, { recursive: true });
      const simulator = new HostSimulator({ dir, clock: systemClock, tmk: DEMO_TMK, imk: DEMO_IMK });
      return { name: 'host', port: await simulator.listen(port), simulator, close: () => simulator.close() };
    },
  },
  {
    // The HID barcode scanner: no virtual HID here, so its reports travel over loopback TCP.
    name: 'scanner',
    async start(_runDir, port) {
      const simulator = new HidScannerSimulator('scanner');
      const bridge = await serveScannerOverTcp(simulator, port);
      return { name: 'scanner', port: bridge.port, simulator, close: () => bridge.close() };
    },
  },
];
