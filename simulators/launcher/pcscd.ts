import { spawn } from 'node:child_process';
import { access, open, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, systemClock, type Clock } from '../../drivers/common/clock.js';
import { withProcessLock } from './process-lock.js';

/** Where pcsc-lite listens. */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const PCSCD_PID_FILE = '/run/pcscd/pcscd.pid';
/** vsmartcard's reader configuration: when it is installed, a serving pcscd lists "Virtual PCD" readers. */
const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
/** The output of a pcscd started here (it runs in the foreground of its own session). */
export const PCSCD_LOG = join(tmpdir(), 'kiosk-pcscd.log');
const START_WAIT_MS = 10_000;
const STOP_WAIT_MS = 3000;
/** Held while one process checks and starts pcscd. */
export const PCSCD_START_LOCK = join(tmpdir(), 'kiosk-pcscd-start.lock');

export type PcscdState = 'running' | 'started' | 'unavailable';

/**
 * Makes sure pcscd serves vsmartcard's virtual reader (vpcd, listening on
 * 35963) for the chip simulator. Returns `unavailable` when pcscd is not
 * installed or cannot be started: the kiosk then reports the chip reader
 * offline.
 *
 * "Serving" means answering on its socket and, when vpcd is installed,
 * listing its readers. Two pcscd started at once both run: one keeps vpcd's
 * ports, the other the socket, and clients see no reader at all. So starts
 * are serialised across processes, and a daemon that does not serve (one
 * whose socket is gone, a dead one's socket left behind, a pair) is stopped
 * and replaced.
 */
export async function ensurePcscd(clock: Clock = systemClock): Promise<PcscdState> {
  if (await serving()) return 'running';
  return withProcessLock(PCSCD_START_LOCK, clock, async () => {
    if (await serving()) return 'running';
    if (!(await stopDaemons(clock))) return 'unavailable';
    await Promise.all([rm(PCSCD_SOCKET, { force: true }), rm(PCSCD_PID_FILE, { force: true })]);
    return (await start(clock)) ? 'started' : 'unavailable';
  });
}

/** Whether pcscd answers and, where vpcd is installed, lists its readers. */
async function serving(): Promise<boolean> {
  if (!(await accepts(PCSCD_SOCKET))) return false;
  if (!(await exists(VPCD_READER_CONF))) return true;
  // Loaded here so that the simulators still start where PC/SC's library is missing.
  const pcsc = await import('smartcard').catch(() => undefined);
  if (!pcsc) return true;
  try {
    const context = new pcsc.Context();
    try {
      return context.listReaders().some((r) => r.name.startsWith('Virtual PCD'));
    } finally {
      context.close();
    }
  } catch {
    return false;
  }
}

/** Starts pcscd in the foreground of its own session, its output in PCSCD_LOG; true once it serves. */
async function start(clock: Clock): Promise<boolean> {
  // The log is for diagnosis only: without it (another user's file) pcscd starts all the same.
  const log = await open(PCSCD_LOG, 'w').catch(() => undefined);
  let exited = false;
  try {
    const output = log?.fd ?? 'ignore';
    const child = spawn('pcscd', ['--foreground'], { detached: true, stdio: ['ignore', output, output] });
    child.once('error', () => (exited = true));
    child.once('exit', () => (exited = true));
    child.unref();
  } finally {
    await log?.close();
  }
  const settled = async (): Promise<boolean> => exited || (await serving());
  return (await waitFor(clock, START_WAIT_MS, settled)) && !exited;
}

/** Stops every pcscd (SIGTERM, then SIGKILL); false when one cannot be stopped (another user's). */
async function stopDaemons(clock: Clock): Promise<boolean> {
  const daemons = await pcscdProcesses();
  const gone = async (): Promise<boolean> => {
    const live = await pcscdProcesses();
    return daemons.every((pid) => !live.includes(pid));
  };
  try {
    signalAll(daemons, 'SIGTERM');
    if (await waitFor(clock, STOP_WAIT_MS, gone)) return true;
    signalAll(await pcscdProcesses(), 'SIGKILL');
    return await waitFor(clock, STOP_WAIT_MS, gone);
  } catch {
    return false;
  }
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // it ended meanwhile
    }
  }
}

/** Live pcscd processes, from /proc (its pid file names only the last one started; zombies hold nothing). */
export async function pcscdProcesses(): Promise<number[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => /^\d+ \(pcscd\) [^Z]/.test(stats[i] ?? ''));
}

async function waitFor(clock: Clock, ms: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = clock.monotonic() + ms;
  while (clock.monotonic() < deadline) {
    if (await condition()) return true;
    await sleep(clock, 20);
  }
  return condition();
}

/** Whether something accepts connections on this Unix socket (a file alone may be a dead daemon's). */
export function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
