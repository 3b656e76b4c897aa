import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sleep, type Clock } from '../../drivers/common/clock.js';

const LOCK_WAIT_MS = 10_000;

/**
 * Runs `work` while holding a lock shared by every process of this machine:
 * a directory (mkdir is atomic) holding the owner's pid. A lock whose owner
 * has died is taken over; one held past `waitMs` is broken, so a hung owner
 * delays the others but cannot stop them.
 */
export async function withProcessLock<T>(
  lockDir: string,
  clock: Clock,
  work: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const deadline = clock.monotonic() + waitMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
      // An owner that died, or never wrote its pid, left a stale lock.
      if (!isAlive(owner) || clock.monotonic() > deadline) await rm(lockDir, { recursive: true, force: true });
      else await sleep(clock, 20);
    }
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** Whether a process with this pid exists. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
