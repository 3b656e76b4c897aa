import { describe, expect, it } from 'vitest';
import type { KioskProcess } from './support/kiosk-process.js';
import {
  balanceOf,
  killAndRestart,
  ledgerCounts,
  reversalsSettled,
  sim,
  until,
  type SimStack,
} from './support/kill-stack.js';
import { customerAtMenu, customerLeaves, simulatorStacks } from './support/kill-session.js';

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

/** The simulated cassettes' serial prefixes: AA 100 yuan, AB 50, AC 20, AD 10. */
const NOTE_VALUE: Record<string, number> = { AA: 10_000, AB: 5_000, AC: 2_000, AD: 1_000 };

/** The customer: a card, a PIN, 500 yuan fast cash, no receipt; takes whatever notes appear. */
async function customerWithdraws(stack: SimStack, kiosk: KioskProcess, pocket: Set<string>): Promise<void> {
  if (!(await customerAtMenu(stack, kiosk))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
  if (!(await kiosk.waitForView((v) => v.screen === 'amount'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'amount.50000' });
  if (!(await kiosk.waitForView((v) => v.screen === 'receiptQuestion'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'receipt.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'confirm'))) return;
  kiosk.intent({ type: 'ui.confirmed' });
  await takeNotes(stack, pocket, 8000);
  await customerLeaves(stack, kiosk);
}

/**
 * Takes the notes at the exit when they appear, remembering their serials. The
 * customer's own wait can outlive the killed runtime and race the one run while
 * it is down: both may see the same notes, so the pocket holds serials once.
 */
async function takeNotes(stack: SimStack, pocket: Set<string>, timeoutMs: number): Promise<void> {
  await until(async () => {
    const exit = (await sim(stack, 'cashDispenser')).exit as string[];
    if (exit.length === 0) return false;
    for (const serial of exit) pocket.add(serial);
    await sim(stack, 'cashDispenser', 'takeNotes');
    return true;
  }, timeoutMs);
}

const valueOf = (serials: readonly string[]): number =>
  serials.reduce((sum, s) => sum + (NOTE_VALUE[s.slice(0, 2)] ?? 0), 0);

const startStack = simulatorStacks();

describe('power cut at every journaled step of a withdrawal', () => {
  it.each(KILL_POINTS)(
    'killed after "%s": recovery leaves cash, card and host books consistent',
    async (killPoint) => {
      const stack = await startStack();
      const balanceBefore = await balanceOf(stack);
      const pocket = new Set<string>();

      // The customer grabs notes left at the exit while the kiosk is down.
      const second = await killAndRestart(
        stack,
        killPoint,
        (first) => customerWithdraws(stack, first, pocket),
        () => takeNotes(stack, pocket, 300),
      );
      try {
        expect(
          await until(async () => reversalsSettled(stack), 15_000),
          'owed reversals are sent and acknowledged',
        ).toBe(true);

        const dispenser = await sim(stack, 'cashDispenser');
        expect(dispenser.exit, 'nothing left at the exit').toEqual([]);
        expect(dispenser.stacker, 'nothing left in the stacker').toEqual([]);
        const cash = valueOf([...pocket]);
        expect([0, 50_000], 'no double dispense').toContain(cash);
        expect(balanceBefore - (await balanceOf(stack)), 'the host debited exactly what the customer got').toBe(cash);
        // The counters restored from the ledger followed what recovery did with the notes.
        const { cassettes, rejectBin } = dispenser as { cassettes: { count: number }[]; rejectBin: { count: number } };
        expect(ledgerCounts(stack), 'the ledger counts the notes in each cassette and the reject bin').toMatchObject({
          ...Object.fromEntries(cassettes.map((c, i) => [`unit${i + 1}`, c.count])),
          reject: rejectBin.count,
        });

        const reader = await sim(stack, 'cardReader');
        expect(['none', 'retained'], 'the card was returned or captured').toContain(reader.position);
      } finally {
        await second.stop();
      }
    },
    90_000,
  );
});
