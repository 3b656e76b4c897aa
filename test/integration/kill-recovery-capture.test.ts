import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../drivers/common/clock.js';
import { CashLedger } from '../../main/cash/cash-ledger.js';
import { DEMO_CARD } from './support/kiosk-harness.js';
import { startKioskProcess } from './support/kiosk-process.js';
import { DEMO_ACCOUNT, journalPayloads, killAndRestart, sim, type SimStack } from './support/kill-stack.js';
import { customerAtMenu, simulatorStacks } from './support/kill-session.js';

/*
 * The power goes while the reader captures a card: the capture order is
 * journaled, the reader puts the card in the bin, and the process dies before
 * it hears the reply or stores the count. Start-up recovery counts the card
 * from the journaled order and the reader's status, once across restarts.
 */

const startStack = simulatorStacks();

/** The retain count in the runtime's durable ledger (cash.sqlite). */
function storedRetainCount(stack: SimStack): number | undefined {
  const ledger = new CashLedger(join(stack.stateDir, 'cash.sqlite'), systemClock);
  try {
    return ledger.cardCount('cardReader');
  } finally {
    ledger.close();
  }
}

const simRetainCount = async (stack: SimStack): Promise<number> =>
  (await sim(stack, 'cardReader')).retainCount as number;

describe('power cut between a capture and the stored retain count', () => {
  it('counts the captured card at start-up, and not again at the next start', async () => {
    const stack = await startStack();
    // The issuer answers 41 (lost card): the session captures it.
    await sim(stack, 'host', 'addCard', {
      pan: DEMO_CARD.pan,
      account: DEMO_ACCOUNT,
      pin: DEMO_CARD.pin,
      status: 'lost',
    });
    const before = await simRetainCount(stack);

    const second = await killAndRestart(
      stack,
      'card.move.requested',
      async (kiosk) => {
        if (await customerAtMenu(stack, kiosk)) kiosk.intent({ type: 'ui.optionSelected', option: 'menu.balance' });
      },
      // The reader finishes the capture the dead process ordered.
      async () => void (await sim(stack, 'cardReader', 'capture')),
    );
    try {
      expect(await simRetainCount(stack), 'the card is in the bin').toBe(before + 1);
      expect(storedRetainCount(stack), 'the ledger counts it').toBe(before + 1);
      expect(journalPayloads(stack).filter((p) => p.event === 'card.capture.reconciled')).toEqual([
        { event: 'card.capture.reconciled', media: 'notPresent', outcome: 'counted', retainCount: before + 1 },
      ]);
    } finally {
      await second.stop();
    }

    const third = await startKioskProcess(stack.stateDir, stack.hostPort);
    try {
      expect(await third.waitForView((v) => v.screen === 'welcome', 15_000)).toBeDefined();
      expect(storedRetainCount(stack), 'a second restart does not count it again').toBe(before + 1);
    } finally {
      await third.stop();
    }
  }, 60_000);
});
