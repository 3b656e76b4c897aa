import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../drivers/common/clock.js';
import { withProcessLock } from '../../../simulators/launcher/process-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'process-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A child process that takes the lock, logs enter/leave around a pause, and exits. */
function contender(lockDir: string, log: string, name: string): Promise<number | null> {
  const script = `
    const { appendFileSync } = await import('node:fs');
    const { withProcessLock } = await import(${JSON.stringify(new URL('../../../simulators/launcher/process-lock.ts', import.meta.url).pathname)});
    const { systemClock } = await import(${JSON.stringify(new URL('../../../drivers/common/clock.ts', import.meta.url).pathname)});
    await withProcessLock(${JSON.stringify(lockDir)}, systemClock, async () => {
      appendFileSync(${JSON.stringify(log)}, 'enter ${name}\\n');
      await new Promise((r) => setTimeout(r, 60));
      appendFileSync(${JSON.stringify(log)}, 'leave ${name}\\n');
    });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' });
    child.once('exit', resolve);
  });
}

describe('a lock shared by processes (serialises pcscd starts)', () => {
  it('lets one process in at a time', async () => {
    const lockDir = join(dir, 'lock');
    const log = join(dir, 'log');
    await writeFile(log, '');
    const codes = await Promise.all(['a', 'b', 'c'].map((name) => contender(lockDir, log, name)));
    expect(codes).toEqual([0, 0, 0]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    // Every "enter" is followed by the same process's "leave".
    for (let i = 0; i < lines.length; i += 2) expect(lines[i + 1]).toBe(lines[i]?.replace('enter', 'leave'));
  }, 30_000);

  it('never shows the lock without its owner, so a waiter cannot take it for a dead one', async () => {
    const lockDir = join(dir, 'lock');
    const log = join(dir, 'log');
    await writeFile(log, '');
    let running = true;
    let ownerless = 0;
    let seen = 0;
    const watch = (async () => {
      while (running) {
        const entries = await readdir(lockDir).catch(() => undefined);
        if (entries !== undefined) {
          seen += 1;
          if (!entries.includes('pid')) ownerless += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => contender(lockDir, log, name)));
    running = false;
    await watch;
    expect(seen).toBeGreaterThan(0);
    expect(ownerless).toBe(0);
  }, 30_000);

  it('takes over a lock whose owner died', async () => {
    const lockDir = join(dir, 'lock');
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'pid'), '999999999');
    const t0 = performance.now();
    expect(await withProcessLock(lockDir, systemClock, async () => 'in')).toBe('in');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('waits for a live owner, breaks the lock after the wait limit, and releases it after work that throws', async () => {
    const lockDir = join(dir, 'lock');
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    let ran = false;
    const t0 = performance.now();
    await expect(
      withProcessLock(lockDir, systemClock, async () => {
        ran = true;
        throw new Error('work failed');
      }, 200),
    ).rejects.toThrow('work failed');
    expect(ran).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(200);
    // Released: the next caller gets in at once.
    expect(await withProcessLock(lockDir, systemClock, async () => 'again', 50)).toBe('again');
  });
});
