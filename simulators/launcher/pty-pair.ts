import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import { sleep, systemClock, type Clock } from '../../drivers/common/clock.js';

/**
 * A linked pair of pseudo-terminals made by socat: what one end writes the
 * other reads, like a null-modem cable. `hostPath` is for the driver,
 * `devicePath` for the simulator.
 */
export interface PtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  close(): Promise<void>;
}

const LINK_WAIT_MS = 5000;
const LINK_POLL_MS = 10;

export async function createPtyPair(
  hostPath: string,
  devicePath: string,
  clock: Clock = systemClock,
): Promise<PtyPair> {
  const child = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const ready = waitForLinks([hostPath, devicePath], clock);
  const first = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    spawnError,
  ]);
  if (first instanceof Error) throw new Error(`cannot start socat: ${first.message}`);
  if (first === 'exited') throw new Error(`socat exited: ${stderr.trim()}`);
  return { hostPath, devicePath, close: () => stop(child, exited) };
}

async function waitForLinks(paths: readonly string[], clock: Clock): Promise<void> {
  const deadline = clock.monotonic() + LINK_WAIT_MS;
  for (;;) {
    const present = await Promise.all(
      paths.map((p) =>
        access(p).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (present.every(Boolean)) return;
    if (clock.monotonic() > deadline) throw new Error(`pty links did not appear: ${paths.join(', ')}`);
    await sleep(clock, LINK_POLL_MS);
  }
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited;
}
