import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CARD } from './support/kiosk-harness.js';
import type { KioskProcess } from './support/kiosk-process.js';
import {
  balanceOf,
  journalEvents,
  killAndRestart,
  reversalsSettled,
  sim,
  startSimulatorProcess,
  stopSimulatorProcess,
  until,
  type SimStack,
} from './support/kill-stack.js';

/*
 * Power cut at every journaled step of a deposit (same machinery as
 * kill-recovery.test.ts): the runtime is SIGKILLed right after the step's
 * journal record, the note acceptor keeps its escrow, bezel and units, and a
 * fresh runtime recovers on the same state folder. Afterwards the host has
 * credited exactly the notes the acceptor stored, every other genuine note is
 * back in the customer's hand, the counterfeit one stayed in the acceptor,
 * every reversal is canceled or acknowledged, and the card is back or captured.
 */
const KILL_POINTS = [
  'card.inserted',
  'cashIn.start.requested',
  'cashIn.start.result',
  'cashIn.counted', // the notes are in escrow
  'cashIn.returnedTaken', // the customer took the refused note
  'sent#2', // the 0200 is on the wire (sign-on was the first)
  'received#2', // the 0210 arrived
  'hostAnswered',
  'cashIn.end.requested',
  'cashIn.end.result', // committed, but the reversal is still prepared
  'card.move.requested',
  'card.move.result',
];

const FIT = [
  { denomination: 10_000, serial: 'DP00000001', quality: 'fit' },
  { denomination: 10_000, serial: 'DP00000002', quality: 'fit' },
  { denomination: 5_000, serial: 'DP00000003', quality: 'fit' },
] as const;
const COUNTERFEIT = { denomination: 10_000, serial: 'CF00000001', quality: 'counterfeit' } as const;
const UNRECOGNIZED = { denomination: 2_000, serial: 'UN00000001', quality: 'unrecognized' } as const;
const DEPOSIT_MINOR = FIT.reduce((sum, n) => sum + n.denomination, 0);

interface Acceptor {
  feeder: number;
  head: unknown;
  escrow: { serial: string }[];
  bezel: { serial: string }[];
  hand: { serial: string }[];
  recyclers: { serials: string[] }[];
  cashbox: { count: number };
}

const acceptor = async (stack: SimStack): Promise<Acceptor> =>
  (await sim(stack, 'cashAcceptor')) as unknown as Acceptor;

/** The customer takes whatever lies in the bezel. */
async function takeReturned(stack: SimStack): Promise<void> {
  if ((await acceptor(stack)).bezel.length > 0) await sim(stack, 'cashAcceptor', 'takeReturnedNotes');
}

/** The customer: card, PIN, deposit of three genuine notes, a counterfeit and an unreadable one; no receipt. */
async function customerDeposits(stack: SimStack, kiosk: KioskProcess, did: { insert: boolean }): Promise<void> {
  await sim(stack, 'cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
  if (!(await kiosk.waitForView((v) => v.screen === 'language'))) return;
  kiosk.intent({ type: 'ui.languageSelected', language: 'zh-CN' });
  if (!(await kiosk.waitForView((v) => v.screen === 'pin'))) return;
  await until(async () => (await sim(stack, 'pinPad')).mode === 'pin', 5000);
  await sim(stack, 'pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true });
  if (!(await kiosk.waitForView((v) => v.screen === 'menu'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'menu.deposit' });
  if (!(await kiosk.waitForView((v) => v.screen === 'depositInsert'))) return;
  did.insert = true;
  await sim(stack, 'cashAcceptor', 'insertNotes', { notes: [FIT[0], UNRECOGNIZED, FIT[1], COUNTERFEIT, FIT[2]] });
  const counted = await until(async () => {
    await takeReturned(stack);
    return kiosk.views.at(-1)?.screen === 'depositConfirm';
  }, 20_000);
  if (!counted) return;
  kiosk.intent({ type: 'ui.confirmed' });
  const next = await kiosk.waitForView((v) => v.screen === 'receiptQuestion' || v.screen === 'anotherTransaction');
  if (next?.screen === 'receiptQuestion') kiosk.intent({ type: 'ui.optionSelected', option: 'receipt.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'anotherTransaction'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'another.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'takeCard'))) return;
  if (await until(async () => (await sim(stack, 'cardReader')).position === 'gate', 5000)) {
    await sim(stack, 'cardReader', 'takeCard');
  }
}

const stacks: SimStack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stopSimulatorProcess(stack);
});

describe('power cut at every journaled step of a deposit', () => {
  it.each(KILL_POINTS)(
    'killed after "%s": recovery leaves notes, card and host books consistent',
    async (killPoint) => {
      const stack = await startSimulatorProcess();
      stacks.push(stack);
      const balanceBefore = await balanceOf(stack);
      const did = { insert: false };

      // The customer takes notes lying in the bezel while the kiosk is down.
      const second = await killAndRestart(
        stack,
        killPoint,
        (first) => customerDeposits(stack, first, did),
        () => takeReturned(stack),
      );
      try {
        expect(
          await until(async () => reversalsSettled(stack), 15_000),
          'owed reversals are sent and acknowledged',
        ).toBe(true);
        // Recovery handed the escrow back before the kiosk served again: the customer takes it.
        await takeReturned(stack);
        const after = await acceptor(stack);
        expect(after.escrow, 'nothing left in escrow').toEqual([]);
        expect(after.bezel, 'nothing left in the bezel').toEqual([]);
        expect(after.feeder + (after.head === null ? 0 : 1), 'nothing left in the note path').toBe(0);

        const stored = new Set(after.recyclers.flatMap((r) => r.serials));
        const hand = new Set(after.hand.map((n) => n.serial));
        const committed = FIT.filter((n) => stored.has(n.serial)).reduce((sum, n) => sum + n.denomination, 0);
        expect([0, DEPOSIT_MINOR], 'the deposit is stored whole or not at all').toContain(committed);
        expect((await balanceOf(stack)) - balanceBefore, 'the host credited exactly what the acceptor stored').toBe(
          committed,
        );
        for (const n of FIT) {
          const where = [stored.has(n.serial), hand.has(n.serial)].filter(Boolean).length;
          expect(where, `${n.serial} is either stored or back with the customer`).toBe(did.insert ? 1 : 0);
        }
        expect(hand.has(UNRECOGNIZED.serial), 'the unreadable note went back').toBe(did.insert);
        expect(hand.has(COUNTERFEIT.serial), 'the counterfeit note is never returned').toBe(false);
        expect(after.cashbox.count, 'the counterfeit note stays retained').toBe(did.insert ? 1 : 0);

        const reader = await sim(stack, 'cardReader');
        expect(['none', 'retained'], 'the card was returned or captured').toContain(reader.position);
        const events = journalEvents(stack);
        expect(events.filter((e) => e === 'recovery.finished').length, 'both starts recovered').toBe(2);
      } finally {
        await second.stop();
      }
    },
    60_000,
  );
});
