import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../../drivers/common/clock.js';
import { CashLedger } from '../../../main/cash/cash-ledger.js';
import { startKioskProcess, type KioskProcess } from './kiosk-process.js';

/**
 * The simulators as a process of their own, so that the kiosk runtime can be
 * SIGKILLed and restarted while the devices and the host keep their state:
 * the support the kill tests share.
 */
export interface SimStack {
  readonly stateDir: string;
  readonly sims: ChildProcess;
  readonly controlUrl: string;
  readonly hostPort: number;
}

export const DEMO_ACCOUNT = '6222020000000001';

export async function startSimulatorProcess(): Promise<SimStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'kiosk-kill-'));
  const sims = spawn(process.execPath, ['dist/simulators/launcher/main.js'], {
    env: { ...process.env, KIOSK_STATE_DIR: stateDir, KIOSK_SIM_HOST_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => {
    let out = '';
    sims.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('simulators ready')) resolve();
    });
  });
  const manifest = JSON.parse(await readFile(join(stateDir, 'run', 'simulators.json'), 'utf8')) as {
    controlUrl: string;
    tcpServices: { host: number };
  };
  return { stateDir, sims, controlUrl: manifest.controlUrl, hostPort: manifest.tcpServices.host };
}

export async function stopSimulatorProcess(stack: SimStack): Promise<void> {
  stack.sims.kill('SIGTERM');
  await rm(stack.stateDir, { recursive: true, force: true });
}

/** GET a simulator's state, or POST an action at its developer API. */
export async function sim(
  stack: SimStack,
  device: string,
  action?: string,
  body: unknown = {},
): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.controlUrl}/sim/${device}${action ? `/${action}` : ''}`, {
    method: action ? 'POST' : 'GET',
    ...(action ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, unknown>;
}

export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export const balanceOf = async (stack: SimStack, account = DEMO_ACCOUNT): Promise<number> => {
  const accounts = (await sim(stack, 'host')).accounts as { number: string; balanceMinor: number }[];
  return accounts.find((a) => a.number === account)?.balanceMinor ?? Number.NaN;
};

/** Whether every reversal the link ever prepared is settled: canceled or acknowledged by the host. */
export function reversalsSettled(stack: SimStack): boolean {
  const db = new Database(join(stack.stateDir, 'host-link.sqlite'), { readonly: true });
  try {
    const open = db.prepare(`SELECT COUNT(*) AS n FROM reversals WHERE state IN ('prepared','owed','sent')`).get() as {
      n: number;
    };
    return open.n === 0;
  } finally {
    db.close();
  }
}

/** Each cash unit's count in the runtime's durable ledger (cash.sqlite). */
export function ledgerCounts(stack: SimStack): Record<string, number> {
  const ledger = new CashLedger(join(stack.stateDir, 'cash.sqlite'), systemClock);
  try {
    return Object.fromEntries(ledger.units().map((u) => [u.id, u.count]));
  } finally {
    ledger.close();
  }
}

/** The payloads journaled since the start, in order. */
export function journalPayloads(stack: SimStack): Record<string, unknown>[] {
  const db = new Database(join(stack.stateDir, 'journal.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT payload FROM journal ORDER BY seq`).all() as { payload: string }[]).map(
      (r) => JSON.parse(r.payload) as Record<string, unknown>,
    );
  } finally {
    db.close();
  }
}

/** The payload events journaled since the start, in order: what the kill points are named after. */
export function journalEvents(stack: SimStack): string[] {
  return journalPayloads(stack).map((p) => (typeof p.event === 'string' ? p.event : ''));
}

/**
 * Runs the customer against a runtime that SIGKILLs itself after `killPoint`,
 * lets `whileDown` act on the devices, and returns a fresh runtime on the same
 * state folder once it shows the welcome screen again. Throws when the first
 * runtime survived (the kill point was never journaled).
 */
export async function killAndRestart(
  stack: SimStack,
  killPoint: string,
  customer: (kiosk: KioskProcess) => Promise<void>,
  whileDown: () => Promise<void>,
): Promise<KioskProcess> {
  const first = await startKioskProcess(stack.stateDir, stack.hostPort, { KIOSK_CRASH_AFTER_EVENT: killPoint });
  await first.waitForView((v) => v.screen === 'welcome', 10_000);
  await Promise.race([customer(first), first.exited]);
  const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('alive'), 3000))]);
  await first.stop();
  if (code === 'alive') throw new Error(`the runtime should have died at ${killPoint}`);
  await whileDown();
  const second = await startKioskProcess(stack.stateDir, stack.hostPort);
  if (!(await second.waitForView((v) => v.screen === 'welcome', 15_000))) {
    await second.stop();
    throw new Error('the restarted kiosk never showed the welcome screen');
  }
  return second;
}
