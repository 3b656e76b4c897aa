import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../drivers/common/clock.js';
import type { DeviceSimulator } from '../common/simulator.js';
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
];
