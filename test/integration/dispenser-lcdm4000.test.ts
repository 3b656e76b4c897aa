import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import { createMemoryPipe } from '../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { createPtyPair } from '../../simulators/launcher/pty-pair.js';
import { startSimulators, type RunningSimulators } from '../../simulators/launcher/simulator-set.js';
import { Lcdm4000Simulator } from '../../simulators/dispenser-lcdm4000/lcdm-sim.js';
import { cashDispenserContract } from '../contract/cash-dispenser.contract.js';
import { DRIVER_OPTIONS, SIM_CONFIG, rigFor } from './dispenser-rig.js';

const makeDriver = (host: ByteTransport) => new Lcdm4000Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 150, replyTimeoutMs: 300 });

cashDispenserContract('LCDM-4000 driver ↔ simulator over an in-memory pipe', async () => {
  const pipe = createMemoryPipe('cashDispenser');
  const sim = new Lcdm4000Simulator('cashDispenser', SIM_CONFIG);
  await sim.attach(pipe.device);
  return rigFor(sim, makeDriver(pipe.host), () => sim.detach());
});

let ptyDir: string;
let ptyCount = 0;
beforeAll(async () => {
  ptyDir = await mkdtemp(join(tmpdir(), 'kiosk-lcdm-'));
});
afterAll(async () => {
  await rm(ptyDir, { recursive: true, force: true });
});

cashDispenserContract('LCDM-4000 driver ↔ simulator over a socat pty pair', async () => {
  ptyCount += 1;
  const pair = await createPtyPair(join(ptyDir, `host${ptyCount}`), join(ptyDir, `device${ptyCount}`));
  const sim = new Lcdm4000Simulator('cashDispenser', SIM_CONFIG);
  await sim.attach(new SerialTransport({ path: pair.devicePath, baudRate: 9600, parity: 'even' }));
  return rigFor(sim, makeDriver(new SerialTransport({ path: pair.hostPath, baudRate: 9600, parity: 'even' })), async () => {
    await sim.detach();
    await pair.close();
  });
});

describe('dispenser simulators in the launcher', () => {
  let sims: RunningSimulators;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-sim-'));
    sims = await startSimulators({
      runDir: dir,
      pcsc: false,
      tcpServices: [],
      entries: SERIAL_SIMULATORS.filter((e) => e.name.startsWith('cashDispenser')),
    });
  });
  afterAll(async () => {
    await sims.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists both models, answers the developer API and keeps state under the run folder', async () => {
    expect([...sims.ports.keys()].sort()).toEqual(['cashDispenser', 'cashDispenserF56']);
    const response = await fetch(`${sims.controlUrl}/sim/cashDispenser/fault`, { method: 'POST', body: JSON.stringify({ kind: 'cassetteMissing', unit: 2 }) });
    expect(response.status).toBe(200);
    const snapshot = (await response.json()) as { cassettes: { present: boolean }[] };
    expect(snapshot.cassettes.map((c) => c.present)).toEqual([true, false, true, true]);
    const bad = await fetch(`${sims.controlUrl}/sim/cashDispenser/fault`, { method: 'POST', body: JSON.stringify({ kind: 'jam', sensor: 'NOPE' }) });
    expect(bad.status).toBe(400);
    expect(existsSync(join(dir, 'state', 'cashDispenser', 'cashDispenser.json'))).toBe(true);
  });
});
