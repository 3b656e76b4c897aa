import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { systemClock } from '../../../drivers/common/clock.js';
import { CashLedger } from '../../../main/cash/cash-ledger.js';
import type { SessionView } from '../../../main/ipc-contract/view.js';
import { DEMO_CARD, startKioskHarness, type KioskHarness } from './kiosk-harness.js';

/**
 * One kiosk harness for a test file: started (and in service) before its
 * tests, stopped after them. Returns the accessor the tests use.
 */
export function useKioskHarness(overrides?: Parameters<typeof startKioskHarness>[0]): () => KioskHarness {
  let kiosk: KioskHarness | undefined;
  beforeAll(async () => {
    kiosk = await startKioskHarness(overrides);
    expect(await kiosk.runtime.whenInService(10_000)).toBe(true);
  }, 30_000);
  afterAll(async () => {
    await kiosk?.stop();
  });
  return () => {
    if (!kiosk) throw new Error('the kiosk harness has not started');
    return kiosk;
  };
}

/** What a customer (and a test) does at the kiosk, step by step, on the harness. */
export function customerSteps(kiosk: () => KioskHarness) {
  const screen = (id: SessionView['screen'], more: (v: SessionView) => boolean = () => true): Promise<SessionView> =>
    kiosk().waitForView((v) => v.screen === id && more(v));
  const option = (o: string) => kiosk().intent({ type: 'ui.optionSelected', option: o });

  return {
    screen,
    option,

    /** Card in, language, PIN on the PIN pad: the customer reaches the menu. */
    async signIn(pin = DEMO_CARD.pin): Promise<void> {
      await kiosk().control('cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
      await screen('language');
      expect((await kiosk().intent({ type: 'ui.languageSelected', language: 'zh-CN' })).accepted).toBe(true);
      await screen('pin');
      await kiosk().waitForDevice('pinPad', (pad) => pad.mode === 'pin');
      await kiosk().control('pinPad', 'typePin', { digits: pin, enter: true });
      await screen('menu');
    },

    /** From the menu: a fast-cash withdrawal without receipt, notes taken; ends at "another transaction?". */
    async withdrawFastCash(amountMinor: number): Promise<void> {
      await option('menu.withdrawal');
      await screen('amount');
      expect((await option(`amount.${amountMinor}`)).accepted).toBe(true);
      await screen('receiptQuestion');
      await option('receipt.no');
      await screen('confirm', (v) => v.data.amountMinor === amountMinor);
      await kiosk().intent({ type: 'ui.confirmed' });
      await screen('takeCash');
      await kiosk().waitForDevice('cashDispenser', (d) => (d.exit as unknown[]).length > 0);
      await kiosk().control('cashDispenser', 'takeNotes');
      await screen('anotherTransaction');
    },

    /** No more transactions, take the card back: the welcome screen. */
    async finish(): Promise<void> {
      await screen('anotherTransaction');
      await option('another.no');
      await screen('takeCard');
      await kiosk().waitForDevice('cardReader', (reader) => reader.position === 'gate');
      await kiosk().control('cardReader', 'takeCard');
      await screen('welcome');
    },

    /** The durable cash ledger's count per unit, read from its file. */
    ledgerCounts(): Record<string, number> {
      const ledger = new CashLedger(join(kiosk().config.stateDir, 'cash.sqlite'), systemClock);
      try {
        return Object.fromEntries(ledger.units().map((u) => [u.id, u.count]));
      } finally {
        ledger.close();
      }
    },
  };
}
