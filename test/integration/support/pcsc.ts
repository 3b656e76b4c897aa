import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Context, SCARD_STATE_PRESENT } from 'smartcard';
import { systemClock } from '../../../drivers/common/clock.js';
import { accepts, PCSCD_LOG, PCSCD_SOCKET, pcscdProcesses } from '../../../simulators/launcher/pcscd.js';
import { acquireProcessLock } from '../../../simulators/launcher/process-lock.js';

const EXCLUSIVE_LOCK = join(tmpdir(), 'kiosk-pcsc-tests.lock');
/** The longest a pcsc test file waits for another to finish. */
const EXCLUSIVE_WAIT_MS = 120_000;
/** vpcd's ports (35963, 35964) as /proc/net/tcp writes them. */
const VPCD_PORTS = new Map([
  ['8C7B', 35963],
  ['8C7C', 35964],
]);
const TCP_STATES: Record<string, string> = { '01': 'connected', '0A': 'listening' };

/**
 * Test files that use pcscd's virtual readers take turns (vitest runs files
 * in parallel workers): vpcd has two slots, and the pcscd tests restart the
 * daemon under the others' feet.
 */
export function usePcscExclusively(): void {
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    release = await acquireProcessLock(EXCLUSIVE_LOCK, systemClock, EXCLUSIVE_WAIT_MS);
  }, EXCLUSIVE_WAIT_MS + 10_000);
  afterAll(async () => {
    await release?.();
  });
}

/**
 * What PC/SC looks like from here, for a failure message: the pcscd
 * processes, their socket, the readers they list, vpcd's TCP ports and the
 * end of the log of a pcscd started by the simulators.
 */
export async function pcscDiagnosis(): Promise<string> {
  const pids = await pcscdProcesses();
  const commands = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (c) => `${pid} ${c.replaceAll('\0', ' ').trim()}`,
        () => `${pid}`,
      ),
    ),
  );
  const socket = !existsSync(PCSCD_SOCKET)
    ? 'absent'
    : (await accepts(PCSCD_SOCKET))
      ? 'accepts connections'
      : 'present but refuses connections';
  const log = await readFile(PCSCD_LOG, 'utf8').then(
    (text) =>
      text.trim() === ''
        ? '  (empty)'
        : text
            .trim()
            .split('\n')
            .slice(-8)
            .map((l) => `  ${l}`)
            .join('\n'),
    () => '  (none)',
  );
  return [
    `pcscd processes: ${commands.join('; ') || 'none'}`,
    `pcscd socket ${PCSCD_SOCKET}: ${socket}`,
    `readers: ${readers()}`,
    `vpcd ports: ${(await vpcdPorts()).join(', ') || 'none open'}`,
    `pcscd log (${PCSCD_LOG}):`,
    log,
  ].join('\n');
}

/** The readers pcscd lists, with whether a card sits in each; throws when PC/SC cannot be reached. */
export function pcscReaders(): { name: string; card: boolean }[] {
  const context = new Context();
  try {
    return context.listReaders().map((r) => ({ name: r.name, card: (r.state & SCARD_STATE_PRESENT) !== 0 }));
  } finally {
    context.close();
  }
}

function readers(): string {
  try {
    return (
      pcscReaders()
        .map((r) => `"${r.name}"${r.card ? ' (card)' : ''}`)
        .join(', ') || 'none'
    );
  } catch (err) {
    return `cannot list (${(err as Error).message})`;
  }
}

async function vpcdPorts(): Promise<string[]> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')));
  const found: string[] = [];
  for (const line of tables.join('\n').split('\n')) {
    const [, local, , state] = line.trim().split(/\s+/);
    const port = VPCD_PORTS.get(local?.split(':')[1] ?? '');
    if (port !== undefined && state !== undefined) found.push(`${port} ${TCP_STATES[state] ?? `state ${state}`}`);
  }
  return found;
}
