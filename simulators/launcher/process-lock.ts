import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sleep, type Clock } from '../../drivers/common/clock.js';

const LOCK_WAIT_MS = 10_000;

/**
 * Runs `work` while holding a lock shared by every process of this machine:
 * a directory holding the owner's pid. The directory is filled first and then
 * renamed into place (atomic, and refused while the lock exists), so a
 * waiter never sees a lock without its owner. A lock whose owner has died is
 * taken over; one held past `waitMs` is broken, so a hung owner delays the
 * others but cannot stop them.
 */
export async function withProcessLock<T>(
  lockDir: string,
  clock: Clock,
  work: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const release = await acquireProcessLock(lockDir, clock, waitMs);
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Takes the lock of `withProcessLock` for as long as the caller needs; resolves to its release. */
export async function acquireProcessLock(
  lockDir: string,
  clock: Clock,
  waitMs = LOCK_WAIT_MS,
): Promise<() => Promise<void>> {
  const deadline = clock.monotonic() + waitMs;
  const claim = await mkdtemp(join(dirname(lockDir), '.claim-'));
  try {
    await writeFile(join(claim, 'pid'), String(process.pid));
    for (;;) {
      try {
        await rename(claim, lockDir);
        return () => releaseLock(lockDir);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
        // NaN: the lock went between rename and read; try again at once.
        if (Number.isNaN(owner)) continue;
        if (!isAlive(owner) || clock.monotonic() > deadline) await breakLock(lockDir, owner);
        else await sleep(clock, 20);
      }
    }
  } catch (err) {
    await rm(claim, { recursive: true, force: true });
    throw err;
  }
}

/** Renames the lock aside before deleting it, so that nobody sees it half deleted (without its pid). */
async function releaseLock(lockDir: string): Promise<void> {
  const aside = `${lockDir}.released-${process.pid}-${++released}`;
  await rename(lockDir, aside).catch(() => undefined); // broken by a waiter meanwhile: nothing to release
  await rm(aside, { recursive: true, force: true });
}
let released = 0;

/**
 * Removes a dead or hung owner's lock, unless another waiter has replaced it
 * meanwhile: the lock is first renamed aside, and put back if it turns out
 * to hold a different owner.
 */
async function breakLock(lockDir: string, owner: number): Promise<void> {
  const aside = `${lockDir}.broken-${process.pid}`;
  try {
    await rename(lockDir, aside);
  } catch {
    return; // someone else broke it first
  }
  const found = Number(await readFile(join(aside, 'pid'), 'utf8').catch(() => 'NaN'));
  if (found === owner) await rm(aside, { recursive: true, force: true });
  else await rename(aside, lockDir).catch(() => rm(aside, { recursive: true, force: true }));
}

/** Whether a process with this pid exists. */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
