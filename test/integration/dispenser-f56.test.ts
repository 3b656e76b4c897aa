import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { F56Dispenser } from '../../drivers/cash-dispenser/f56/f56-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { F56Simulator } from '../../simulators/dispenser-f56/f56-sim.js';
import { createPtyPair } from '../../simulators/launcher/pty-pair.js';
import { cashDispenserContract } from '../contract/cash-dispenser.contract.js';
import { DRIVER_OPTIONS, SIM_CONFIG, rigFor } from './dispenser-rig.js';

const makeDriver = (host: ByteTransport) =>
  new F56Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 100, replyTimeoutMs: 300, maxRetries: 1 });

cashDispenserContract('F56 driver ↔ simulator over an in-memory pipe', async () => {
  const pipe = createMemoryPipe('cashDispenser');
  const sim = new F56Simulator('cashDispenser', SIM_CONFIG);
  await sim.attach(pipe.device);
  return rigFor(sim, makeDriver(pipe.host), () => sim.detach());
});

let ptyDir: string;
let ptyCount = 0;
beforeAll(async () => {
  ptyDir = await mkdtemp(join(tmpdir(), 'kiosk-f56-'));
});
afterAll(async () => {
  await rm(ptyDir, { recursive: true, force: true });
});

cashDispenserContract('F56 driver ↔ simulator over a socat pty pair', async () => {
  ptyCount += 1;
  const pair = await createPtyPair(join(ptyDir, `host${ptyCount}`), join(ptyDir, `device${ptyCount}`));
  const sim = new F56Simulator('cashDispenser', SIM_CONFIG);
  await sim.attach(new SerialTransport({ path: pair.devicePath, baudRate: 9600, parity: 'even' }));
  return rigFor(sim, makeDriver(new SerialTransport({ path: pair.hostPath, baudRate: 9600, parity: 'even' })), async () => {
    await sim.detach();
    await pair.close();
  });
});
