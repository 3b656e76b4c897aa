import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { ensurePcscd, PCSCD_SOCKET, PCSCD_START_LOCK, pcscdProcesses } from '../../simulators/launcher/pcscd.js';
import { withProcessLock } from '../../simulators/launcher/process-lock.js';
import { pcscDiagnosis, pcscReaders, usePcscExclusively } from './support/pcsc.js';

/*
 * ensurePcscd against the real daemon in the states that broke the chip
 * tests on a clean machine: two pcscd started at once (one keeps vpcd's
 * ports, the other the socket, so no client sees a reader; or one deleted
 * the other's socket), and a daemon that died and left its socket behind.
 * The breakage is set up under the start lock, so that no simulator
 * starting elsewhere repairs it first.
 */
usePcscExclusively();

function readerNames(): string[] {
  try {
    return pcscReaders().map((r) => r.name);
  } catch {
    return [];
  }
}

async function killAllPcscd(signal: NodeJS.Signals): Promise<void> {
  for (const pid of await pcscdProcesses()) process.kill(pid, signal);
  await until(async () => (await pcscdProcesses()).length === 0);
}

async function until(condition: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${ms} ms\n${await pcscDiagnosis()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectOneServingDaemon(): Promise<void> {
  const diagnosis = await pcscDiagnosis();
  expect(await pcscdProcesses(), diagnosis).toHaveLength(1);
  expect(readerNames(), diagnosis).toEqual(expect.arrayContaining(['Virtual PCD 00 00', 'Virtual PCD 00 01']));
}

describe('ensurePcscd', () => {
  it('replaces two pcscd started at once by one daemon that lists the virtual readers', async () => {
    await withProcessLock(PCSCD_START_LOCK, systemClock, async () => {
      await killAllPcscd('SIGTERM');
      // Each start forks its daemon and exits; what the pair leaves depends on the race: either both
      // run (one with vpcd's ports, one with the socket) or one has deleted the other's socket.
      await Promise.all(
        [1, 2].map(
          () =>
            new Promise((resolve) =>
              spawn('pcscd', [], { stdio: 'ignore' }).once('exit', resolve).once('error', resolve),
            ),
        ),
      );
      await until(async () => (await pcscdProcesses()).length > 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await ensurePcscd()).not.toBe('unavailable');
    await expectOneServingDaemon();
  }, 30_000);

  it('starts a new daemon when the old one died and left its socket behind', async () => {
    expect(await ensurePcscd()).not.toBe('unavailable');
    await withProcessLock(PCSCD_START_LOCK, systemClock, () => killAllPcscd('SIGKILL'));
    expect(existsSync(PCSCD_SOCKET)).toBe(true);
    expect(await ensurePcscd()).not.toBe('unavailable');
    await expectOneServingDaemon();
  }, 30_000);

  it('leaves a daemon that serves alone', async () => {
    expect(await ensurePcscd()).not.toBe('unavailable');
    const [before] = await pcscdProcesses();
    expect(await ensurePcscd()).toBe('running');
    expect(await pcscdProcesses()).toEqual([before]);
  }, 30_000);
});
