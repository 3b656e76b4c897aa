import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { SerialTransport, type SerialTransportOptions } from '../../../drivers/transports/serial-transport.js';
import { createPtyPair } from '../../../simulators/launcher/pty-pair.js';
import {
  startSimulators,
  type RunningSimulators,
  type SimulatorSetOptions,
} from '../../../simulators/launcher/simulator-set.js';

/** Both ends of one line, for a simulator (`device`) and a driver (`host`). */
export interface Line {
  readonly host: ByteTransport;
  readonly device: ByteTransport;
  /** A folder of this line's own, for simulators that persist (pty lines only). */
  readonly stateDir?: string;
  /** Closes the line itself, after the simulator detached. */
  close(): Promise<void>;
}

/**
 * Runs a device's behaviour suite (`contract`) over an in-memory pipe and over
 * a socat pty pair, as every serial device's integration test does: `rig`
 * puts the simulator and the driver on each line. The pty pairs live in a temp
 * folder removed after the file.
 */
export function overPipeAndPty<R>(
  contract: (name: string, makeRig: () => Promise<R>) => void,
  label: string,
  options: { readonly pipeName: string; readonly serial: Omit<SerialTransportOptions, 'path'> },
  rig: (line: Line) => Promise<R>,
): void {
  contract(`${label} over an in-memory pipe`, () => {
    const pipe = createMemoryPipe(options.pipeName);
    return rig({ host: pipe.host, device: pipe.device, close: () => Promise.resolve() });
  });

  let ptyDir: string;
  let ptys = 0;
  beforeAll(async () => {
    ptyDir = await mkdtemp(join(tmpdir(), `kiosk-${options.pipeName}-`));
  });
  afterAll(async () => {
    await rm(ptyDir, { recursive: true, force: true });
  });

  contract(`${label} over a socat pty pair`, async () => {
    ptys += 1;
    const pair = await createPtyPair(join(ptyDir, `host${ptys}`), join(ptyDir, `device${ptys}`));
    return rig({
      host: new SerialTransport({ ...options.serial, path: pair.hostPath }),
      device: new SerialTransport({ ...options.serial, path: pair.devicePath }),
      stateDir: join(ptyDir, `state${ptys}`),
      close: () => pair.close(),
    });
  });
}

/** The launcher's simulators for the enclosing suite, started before its tests in a temp run folder. */
export interface Launched {
  readonly sims: RunningSimulators;
  readonly runDir: string;
}

/** Starts the simulators before the enclosing suite's tests and stops them (and removes the run folder) after. */
export function launchSimulators(prefix: string, options: Omit<SimulatorSetOptions, 'runDir'> = {}): Launched {
  const launched = {} as { sims: RunningSimulators; runDir: string };
  beforeAll(async () => {
    launched.runDir = await mkdtemp(join(tmpdir(), prefix));
    launched.sims = await startSimulators({ ...options, runDir: launched.runDir });
  });
  afterAll(async () => {
    await launched.sims.stop();
    await rm(launched.runDir, { recursive: true, force: true });
  });
  return launched;
}
