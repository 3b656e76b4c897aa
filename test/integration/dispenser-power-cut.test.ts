import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CashDispenserDevice } from '../../drivers/cash-dispenser/contract.js';
import { F56Dispenser } from '../../drivers/cash-dispenser/f56/f56-dispenser.js';
import { Lcdm4000Dispenser } from '../../drivers/cash-dispenser/lcdm4000/lcdm4000-dispenser.js';
import { systemClock } from '../../drivers/common/clock.js';
import type { ByteTransport } from '../../drivers/common/transport.js';
import type { CashUnit } from '../../drivers/storage/contract.js';
import { SerialTransport } from '../../drivers/transports/serial-transport.js';
import { DEV_HOST_KEY } from '../../simulators/dispenser-core/dispenser-sim.js';
import type { MechanismState } from '../../simulators/dispenser-core/mechanism.js';
import { createPtyPair, type PtyPair } from '../../simulators/launcher/pty-pair.js';
import { CNY, authorise, waitFor } from '../contract/cash-dispenser.contract.js';
import { DRIVER_OPTIONS, SIM_CONFIG } from './dispenser-rig.js';

type Driver = CashDispenserDevice & { cashUnits(): readonly CashUnit[] };

interface Model {
  readonly name: string;
  readonly simModel: string;
  make(host: ByteTransport): Driver;
}

const MODELS: readonly Model[] = [
  {
    name: 'LCDM-4000',
    simModel: 'lcdm4000',
    make: (host) => new Lcdm4000Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 300, pollIntervalMs: 50 }),
  },
  {
    name: 'Fujitsu F56',
    simModel: 'fujitsuF56',
    make: (host) =>
      new F56Dispenser({ id: 'cashDispenser', clock: systemClock }, host, { ...DRIVER_OPTIONS, ackTimeoutMs: 300, replyTimeoutMs: 500, maxRetries: 1, pollIntervalMs: 50 }),
  },
];

const signal = (): AbortSignal => new AbortController().signal;

/**
 * Starts the simulator as its own process, as the launcher would; resolves once
 * it listens. `node --import tsx` keeps it one process, so SIGKILL hits it.
 */
function startSimulator(model: string, devicePath: string, stateDir: string): Promise<ChildProcess> {
  const { cassettes, rejectCapacity } = SIM_CONFIG;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'simulators/dispenser-core/standalone.ts',
      `--model=${model}`,
      `--device=${devicePath}`,
      `--state=${stateDir}`,
      '--pick-ms=120',
      `--config=${JSON.stringify({ cassettes, rejectCapacity })}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

for (const model of MODELS) {
  describe(`power cut mid-dispense: ${model.name}`, () => {
    let dir: string;
    let pair: PtyPair;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiosk-powercut-'));
      pair = await createPtyPair(join(dir, 'host'), join(dir, 'device'));
    });
    afterAll(async () => {
      await pair.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('reports exactly the notes that left each cassette after the simulator is killed and restarted', async () => {
      const stateDir = join(dir, 'state');
      const stateFile = join(stateDir, 'cashDispenser.json');
      const readState = (): MechanismState => JSON.parse(readFileSync(stateFile, 'utf8')) as MechanismState;
      let sim = await startSimulator(model.simModel, pair.devicePath, stateDir);
      const driver = model.make(new SerialTransport({ path: pair.hostPath, baudRate: 9600, parity: 'even' }));
      try {
        expect((await driver.open(signal())).completionCode).toBe('success');
        const token = await authorise(driver, Buffer.from(DEV_HOST_KEY, 'hex'), 150);
        const dispensing = driver.dispense({ denomination: { counts: { cas3: 5, cas4: 5 } }, token }, signal());

        // Between "dispense" and "result": some notes have left, the reply has not been sent.
        await waitFor(() => {
          const last = readState().last;
          return last?.stage === 'D' && last.picked.reduce((a, b) => a + b, 0) >= 3;
        }, 'notes moving', 8000);
        sim.kill('SIGKILL');
        await new Promise((resolve) => sim.once('exit', resolve));
        const atCut = readState();
        const pickedAtCut = atCut.last?.picked ?? [];
        expect(pickedAtCut.reduce((a, b) => a + b, 0)).toBeLessThan(10);

        const result = await dispensing;
        expect(result.completionCode).toBe('timeOut');
        await waitFor(() => driver.getStatus().device === 'offline', 'offline', 5000);

        sim = await startSimulator(model.simModel, pair.devicePath, stateDir);
        await waitFor(() => driver.getStatus().device === 'online', 'online again', 5000);
        expect(driver.getStatus().intermediateStacker).toBe('notEmptyUnknown');

        const last = await driver.getLastTransaction(undefined, signal());
        expect(last.completionCode).toBe('success');
        if (last.completionCode !== 'success' || !last.payload) return;
        const physical = readState();
        expect(last.payload).toMatchObject({ outcome: 'dispensing', interrupted: true, requested: CNY(150) });
        const picked = { cas3: pickedAtCut[2] ?? 0, cas4: pickedAtCut[3] ?? 0 };
        expect(last.payload.picked).toEqual(Object.fromEntries(Object.entries(picked).filter(([, n]) => n > 0)));
        expect(last.payload.notes.map((n) => n.serialNumber)).toEqual(physical.stacker.map((n) => n.serial));
        expect(last.payload.dispensed.amount).toBe(physical.stacker.reduce((s, n) => s + n.value, 0));

        const count = (id: string): number => driver.cashUnits().find((u) => u.id === id)?.count ?? -1;
        expect(['cas1', 'cas2', 'cas3', 'cas4'].map(count)).toEqual(physical.cassettes.map((c) => c.notes.length));
        expect(driver.cashUnits().find((u) => u.id === 'cas3')?.counts.out.stacked).toBe(picked.cas3);

        // The engineer's reset clears the stacker into the reject bin; counts still match the metal.
        const reset = await driver.reset({}, signal());
        expect(reset.completionCode === 'success' && reset.payload.count).toBe(physical.stacker.length);
        const after = readState();
        expect(count('reject')).toBe(after.rejectBin.length);
        expect(['cas1', 'cas2', 'cas3', 'cas4'].map(count)).toEqual(after.cassettes.map((c) => c.notes.length));
      } finally {
        await driver.close();
        sim.kill('SIGKILL');
      }
    }, 30_000);
  });
}
