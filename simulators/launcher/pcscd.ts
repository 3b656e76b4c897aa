import { spawn } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, systemClock, type Clock } from '../../drivers/common/clock.js';
import { isAlive, withProcessLock } from './process-lock.js';

/** Where pcsc-lite listens; its presence means the daemon is up. */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const START_WAIT_MS = 3000;
/** Held while one process starts pcscd (a directory, because mkdir is atomic). */
const START_LOCK = join(tmpdir(), 'kiosk-pcscd-start.lock');

export type PcscdState = 'running' | 'started' | 'unavailable';

/**
 * Makes sure pcscd is running so that vsmartcard's virtual reader (vpcd,
 * listening on 35963) is there for the chip simulator. Returns `unavailable`
 * when pcscd is not installed: the kiosk then reports the chip reader offline.
 *
 * Starts are serialised across processes: a pcscd that finds another one
 * starting exits and, on its way out, deletes the first one's socket, which
 * leaves a daemon nobody can reach. For the same reason a daemon found
 * without its socket is stopped before a new one starts.
 */
export async function ensurePcscd(clock: Clock = systemClock): Promise<PcscdState> {
  if (await exists(PCSCD_SOCKET)) return 'running';
  return withProcessLock(START_LOCK, clock, async () => {
    if (await exists(PCSCD_SOCKET)) return 'running';
    await stopUnreachableDaemon(clock);
    const started = await new Promise<boolean>((resolve) => {
      const child = spawn('pcscd', [], { stdio: 'ignore' });
      child.once('error', () => resolve(false));
      child.once('exit', (code) => resolve(code === 0));
    });
    if (!started) return 'unavailable';
    return (await waitFor(clock, START_WAIT_MS, () => exists(PCSCD_SOCKET))) ? 'started' : 'unavailable';
  });
}

/** Stops pcscd daemons that run without a socket (their pid file went with it, so look in /proc). */
async function stopUnreachableDaemon(clock: Clock): Promise<void> {
  const daemons = await pcscdProcesses();
  for (const pid of daemons) process.kill(pid, 'SIGTERM');
  await waitFor(clock, START_WAIT_MS, async () => daemons.every((pid) => !isAlive(pid)));
}

async function pcscdProcesses(): Promise<number[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name)).map(Number);
  const names = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => names[i]?.trim() === 'pcscd');
}

async function waitFor(clock: Clock, ms: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = clock.monotonic() + ms;
  while (clock.monotonic() < deadline) {
    if (await condition()) return true;
    await sleep(clock, 20);
  }
  return condition();
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
