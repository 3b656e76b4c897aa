import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import { SERIAL_SIMULATORS } from '../../simulators/launcher/catalogue.js';
import { Lcdm4000Simulator } from '../../simulators/dispenser-lcdm4000/lcdm-sim.js';
import { DRIVER_OPTIONS, SIM_CONFIG, simulatedDispenserContract } from './dispenser-rig.js';
import { launchSimulators } from './support/serial-rigs.js';

const makeDriver = (host: ByteTransport) => new Lcdm4000Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 150, replyTimeoutMs: 300 });

simulatedDispenserContract('LCDM-4000 driver ↔ simulator', () => new Lcdm4000Simulator('cashDispenser', SIM_CONFIG), makeDriver);

describe('dispenser simulators in the launcher', () => {
  const launched = launchSimulators('kiosk-sim-', {
    pcsc: false,
    tcpServices: [],
    entries: SERIAL_SIMULATORS.filter((e) => e.name.startsWith('cashDispenser')),
  });

  it('lists both models, answers the developer API and keeps state under the run folder', async () => {
    const { sims, runDir } = launched;
    expect([...sims.ports.keys()].sort()).toEqual(['cashDispenser', 'cashDispenserF56']);
    const response = await fetch(`${sims.controlUrl}/sim/cashDispenser/fault`, { method: 'POST', body: JSON.stringify({ kind: 'cassetteMissing', unit: 2 }) });
    expect(response.status).toBe(200);
    const snapshot = (await response.json()) as { cassettes: { present: boolean }[] };
    expect(snapshot.cassettes.map((c) => c.present)).toEqual([true, false, true, true]);
    const bad = await fetch(`${sims.controlUrl}/sim/cashDispenser/fault`, { method: 'POST', body: JSON.stringify({ kind: 'jam', sensor: 'NOPE' }) });
    expect(bad.status).toBe(400);
    expect(existsSync(join(runDir, 'state', 'cashDispenser', 'cashDispenser.json'))).toBe(true);
  });
});
