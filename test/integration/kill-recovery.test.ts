import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CARD } from './support/kiosk-harness.js';
import { startKioskProcess, type KioskProcess } from './support/kiosk-process.js';

/*
 * Power cut at every journaled step of a withdrawal: the runtime process is
 * SIGKILLed right after the step's journal record is committed
 * (KIOSK_CRASH_AFTER_EVENT), the simulators keep their state, and a fresh
 * runtime starts on the same state folder. Afterwards: no double dispense,
 * the host's books equal the cash the customer holds, every owed reversal is
 * acknowledged, and the card is back with the customer or captured.
 */
const KILL_POINTS = [
  'card.inserted',
  'sent#2', // the 0200 is on the wire (sign-on was the first)
  'received#2', // the 0210 arrived
  'dispense.requested',
  'dispense.result',
  'present.requested',
  'present.result',
  'cash.taken',
  'card.move.requested',
  'card.move.result',
];

const ACCOUNT = '6222020000000001';
/** The simulated cassettes' serial prefixes: AA 100 yuan, AB 50, AC 20, AD 10. */
const NOTE_VALUE: Record<string, number> = { AA: 10_000, AB: 5_000, AC: 2_000, AD: 1_000 };

interface Stack {
  stateDir: string;
  sims: ChildProcess;
  controlUrl: string;
  hostPort: number;
}

async function startSimulators(): Promise<Stack> {
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

async function sim(
  stack: Stack,
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

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const balanceOf = async (stack: Stack): Promise<number> => {
  const accounts = (await sim(stack, 'host')).accounts as { number: string; balanceMinor: number }[];
  return accounts.find((a) => a.number === ACCOUNT)?.balanceMinor ?? Number.NaN;
};

/** The customer: a card, a PIN, 500 yuan fast cash, no receipt; takes whatever notes appear. */
async function customerWithdraws(stack: Stack, kiosk: KioskProcess, pocket: string[]): Promise<void> {
  await sim(stack, 'cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
  if (!(await kiosk.waitForView((v) => v.screen === 'language'))) return;
  kiosk.intent({ type: 'ui.languageSelected', language: 'zh-CN' });
  if (!(await kiosk.waitForView((v) => v.screen === 'pin'))) return;
  await until(async () => (await sim(stack, 'pinPad')).mode === 'pin', 5000);
  await sim(stack, 'pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true });
  if (!(await kiosk.waitForView((v) => v.screen === 'menu'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
  if (!(await kiosk.waitForView((v) => v.screen === 'amount'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'amount.50000' });
  if (!(await kiosk.waitForView((v) => v.screen === 'receiptQuestion'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'receipt.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'confirm'))) return;
  kiosk.intent({ type: 'ui.confirmed' });
  await takeNotes(stack, pocket, 8000);
  if (!(await kiosk.waitForView((v) => v.screen === 'anotherTransaction'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'another.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'takeCard'))) return;
  if (await until(async () => (await sim(stack, 'cardReader')).position === 'gate', 5000)) {
    await sim(stack, 'cardReader', 'takeCard');
  }
}

/** Takes the notes at the exit when they appear, remembering their serials. */
async function takeNotes(stack: Stack, pocket: string[], timeoutMs: number): Promise<void> {
  await until(async () => {
    const exit = (await sim(stack, 'cashDispenser')).exit as string[];
    if (exit.length === 0) return false;
    pocket.push(...exit);
    await sim(stack, 'cashDispenser', 'takeNotes');
    return true;
  }, timeoutMs);
}

const valueOf = (serials: readonly string[]): number =>
  serials.reduce((sum, s) => sum + (NOTE_VALUE[s.slice(0, 2)] ?? 0), 0);

const stacks: Stack[] = [];
afterAll(async () => {
  for (const stack of stacks) {
    stack.sims.kill('SIGTERM');
    await rm(stack.stateDir, { recursive: true, force: true });
  }
});

describe('power cut at every journaled step of a withdrawal', () => {
  it.each(KILL_POINTS)(
    'killed after "%s": recovery leaves cash, card and host books consistent',
    async (killPoint) => {
      const stack = await startSimulators();
      stacks.push(stack);
      const balanceBefore = await balanceOf(stack);
      const pocket: string[] = [];

      const first = await startKioskProcess(stack.stateDir, stack.hostPort, { KIOSK_CRASH_AFTER_EVENT: killPoint });
      await first.waitForView((v) => v.screen === 'welcome', 10_000);
      await Promise.race([customerWithdraws(stack, first, pocket), first.exited]);
      const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('alive'), 3000))]);
      expect(code, `the runtime should have died at ${killPoint}`).not.toBe('alive');
      await first.stop();

      // The customer grabs notes left at the exit while the kiosk is down.
      await takeNotes(stack, pocket, 300);
      const second = await startKioskProcess(stack.stateDir, stack.hostPort);
      try {
        expect(await second.waitForView((v) => v.screen === 'welcome', 15_000)).toBeDefined();
        const reversalsSettled = await until(async () => {
          const db = new Database(join(stack.stateDir, 'host-link.sqlite'), { readonly: true });
          try {
            const open = db
              .prepare(`SELECT COUNT(*) AS n FROM reversals WHERE state IN ('prepared','owed','sent')`)
              .get() as { n: number };
            return open.n === 0;
          } finally {
            db.close();
          }
        }, 15_000);
        expect(reversalsSettled, 'owed reversals are sent and acknowledged').toBe(true);

        const dispenser = await sim(stack, 'cashDispenser');
        expect(dispenser.exit, 'nothing left at the exit').toEqual([]);
        expect(dispenser.stacker, 'nothing left in the stacker').toEqual([]);
        const cash = valueOf(pocket);
        expect([0, 50_000], 'no double dispense').toContain(cash);
        expect(balanceBefore - (await balanceOf(stack)), 'the host debited exactly what the customer got').toBe(cash);

        const reader = await sim(stack, 'cardReader');
        expect(['none', 'retained'], 'the card was returned or captured').toContain(reader.position);
      } finally {
        await second.stop();
      }
    },
    90_000,
  );
});
