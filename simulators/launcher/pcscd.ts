import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { sleep, systemClock, type Clock } from '../../drivers/common/clock.js';

/** Where pcsc-lite listens; its presence means the daemon is up. */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const START_WAIT_MS = 3000;

export type PcscdState = 'running' | 'started' | 'unavailable';

/**
 * Makes sure pcscd is running so that vsmartcard's virtual reader (vpcd,
 * listening on 35963) is there for the chip simulator. Returns `unavailable`
 * when pcscd is not installed: the kiosk then reports the chip reader offline.
 */
export async function ensurePcscd(clock: Clock = systemClock): Promise<PcscdState> {
  if (await exists(PCSCD_SOCKET)) return 'running';
  const started = await new Promise<boolean>((resolve) => {
    const child = spawn('pcscd', [], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
  if (!started) return 'unavailable';
  const deadline = clock.monotonic() + START_WAIT_MS;
  while (clock.monotonic() < deadline) {
    if (await exists(PCSCD_SOCKET)) return 'started';
    await sleep(clock, 20);
  }
  return 'unavailable';
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
