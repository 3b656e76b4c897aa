import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../main/ipc-contract/view.js';
import type { KioskProcess } from './support/kiosk-process.js';
import {
  balanceOf,
  journalEvents,
  journalPayloads,
  killAndRestart,
  reversalsSettled,
  sim,
  until,
  type SimStack,
} from './support/kill-stack.js';
import { customerAtMenu, customerLeaves, simulatorStacks } from './support/kill-session.js';

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
  if (!(await customerAtMenu(stack, kiosk))) return;
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
  await customerLeaves(stack, kiosk);
}

const startStack = simulatorStacks();

describe('power cut at every journaled step of a deposit', () => {
  it.each(KILL_POINTS)(
    'killed after "%s": recovery leaves notes, card and host books consistent',
    async (killPoint) => {
      const stack = await startStack();
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

/** Whether the kiosk offers deposits; undefined until the host and the card services are up. */
const depositOffered = (kiosk: KioskProcess): boolean | undefined => {
  const a = kiosk.views.at(-1)?.availability;
  return a?.withdrawal ? a.deposit : undefined;
};
const waitDeposit = (kiosk: KioskProcess, offered: boolean): Promise<SessionView | undefined> =>
  kiosk.waitForView((v) => v.availability.withdrawal && v.availability.deposit === offered, 15_000);
const recoveryRecords = (stack: SimStack, event: string) => journalPayloads(stack).filter((p) => p.event === event);

/*
 * The whole kiosk loses power while a deposit is being committed: the runtime
 * dies after journaling cashInEnd (before the acceptor acts: the escrow is in
 * doubt, the host has approved), and the acceptor goes down with it.
 */
describe('a power cut that takes the acceptor down too', () => {
  /** The kiosk dies as it commits; the acceptor loses power with it and, when `acceptorBackOn`, powers up again. */
  const cutPowerWhileCommitting = async ({ acceptorBackOn }: { acceptorBackOn: boolean }) => {
    const stack = await startStack();
    const second = await killAndRestart(
      stack,
      'cashIn.end.requested',
      (first) => customerDeposits(stack, first, { insert: false }),
      async () => {
        await sim(stack, 'cashAcceptor', 'power', { on: false });
        if (acceptorBackOn) await sim(stack, 'cashAcceptor', 'power', { on: true });
      },
    );
    return { stack, second };
  };

  it('journals the notes the acceptor put in its bezel at power-up and keeps deposits closed until they are taken', async () => {
    const { stack, second } = await cutPowerWhileCommitting({ acceptorBackOn: true });
    try {
      const inBezel = (await acceptor(stack)).bezel.map((n) => n.serial);
      expect(inBezel, 'power-up cleared the escrow into the bezel').toEqual(
        expect.arrayContaining(FIT.map((n) => n.serial)),
      );
      expect(await waitDeposit(second, false), 'no deposit while notes lie in the bezel').toBeDefined();
      const [found] = recoveryRecords(stack, 'cashIn.output.found');
      expect(found?.amounts, 'the journal holds the value Note Held in Bezel reported').toEqual([
        { currency: 'CNY', amount: DEPOSIT_MINOR },
      ]);
      expect(await until(async () => reversalsSettled(stack), 15_000), 'the deposit is reversed').toBe(true);
      expect(recoveryRecords(stack, 'reversal.owed')).toEqual([expect.objectContaining({ deposit: true })]);
      expect(depositOffered(second)).toBe(false);

      await sim(stack, 'cashAcceptor', 'takeReturnedNotes');
      expect(await waitDeposit(second, true), 'deposits again once the customer took the notes').toBeDefined();
      const events = journalEvents(stack);
      expect(events.lastIndexOf('cashIn.returnedTaken')).toBeGreaterThan(events.indexOf('cashIn.output.found'));
      const hand = new Set((await acceptor(stack)).hand.map((n) => n.serial));
      expect(FIT.every((n) => hand.has(n.serial)), 'every genuine note is back with the customer').toBe(true);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('keeps deposits closed while the acceptor is off at start-up, and opens them once its escrow is settled', async () => {
    const { stack, second } = await cutPowerWhileCommitting({ acceptorBackOn: false });
    try {
      expect(await until(async () => reversalsSettled(stack), 15_000), 'the reversal went to the host').toBe(true);
      expect(recoveryRecords(stack, 'reversal.owed')).toEqual([expect.objectContaining({ deposit: true })]);
      expect(recoveryRecords(stack, 'cashIn.inDoubt')).toHaveLength(1);
      expect(recoveryRecords(stack, 'cashIn.escrow.unresolved'), 'the journal says why').toHaveLength(1);
      const held = journalPayloads(stack).filter(
        (p) => p.event === 'device.status' && p.device === 'cashAcceptor' && p.state === 'offline',
      );
      expect(held.at(-1)?.limits, 'the acceptor status shows the hold').toEqual(['escrowInDoubt']);
      expect(await waitDeposit(second, false)).toBeDefined();

      await sim(stack, 'cashAcceptor', 'power', { on: true });
      expect(
        await until(async () => recoveryRecords(stack, 'cashIn.escrow.resolved').length === 1, 15_000),
        'the escrow is settled once the acceptor is back',
      ).toBe(true);
      expect(depositOffered(second), 'its notes still lie in the bezel').toBe(false);
      await sim(stack, 'cashAcceptor', 'takeReturnedNotes');
      expect(await waitDeposit(second, true), 'deposits again').toBeDefined();
      const after = await acceptor(stack);
      expect(after.escrow).toEqual([]);
      const hand = new Set(after.hand.map((n) => n.serial));
      expect(FIT.every((n) => hand.has(n.serial)), 'every genuine note is back with the customer').toBe(true);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
