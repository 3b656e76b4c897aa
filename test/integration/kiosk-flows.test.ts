import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CARD, startKioskHarness, type KioskHarness } from './support/kiosk-harness.js';

let kiosk: KioskHarness;

beforeAll(async () => {
  kiosk = await startKioskHarness();
  expect(await kiosk.runtime.whenInService(10_000)).toBe(true);
}, 30_000);

afterAll(async () => {
  await kiosk?.stop();
});

/** Card in, language, PIN on the PIN pad: the customer reaches the menu. */
async function signIn(): Promise<void> {
  await kiosk.control('cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
  await kiosk.waitForView((v) => v.screen === 'language');
  expect((await kiosk.intent({ type: 'ui.languageSelected', language: 'zh-CN' })).accepted).toBe(true);
  await kiosk.waitForView((v) => v.screen === 'pin');
  await kiosk.waitForDevice('pinPad', (pad) => pad.mode === 'pin');
  await kiosk.control('pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true });
  await kiosk.waitForView((v) => v.screen === 'menu');
}

/** No more transactions, take the card back. */
async function finish(): Promise<void> {
  await kiosk.waitForView((v) => v.screen === 'anotherTransaction');
  await kiosk.intent({ type: 'ui.optionSelected', option: 'another.no' });
  await kiosk.waitForView((v) => v.screen === 'takeCard');
  await kiosk.waitForDevice('cardReader', (reader) => reader.position === 'gate');
  await kiosk.control('cardReader', 'takeCard');
  await kiosk.waitForView((v) => v.screen === 'welcome');
}

/** The host simulator's available balance for the demo card, via a balance inquiry in a session of its own. */
async function availableBalance(): Promise<number> {
  await signIn();
  await kiosk.intent({ type: 'ui.optionSelected', option: 'menu.balance' });
  const view = await kiosk.waitForView((v) => v.screen === 'balance');
  await kiosk.intent({ type: 'ui.confirmed' });
  await finish();
  return view.data.availableBalanceMinor ?? Number.NaN;
}

type Cassette = { count: number; denomination: number };
const cassettes = async (): Promise<Cassette[]> =>
  ((await (await fetch(`${kiosk.simulators.controlUrl}/sim/cashDispenser`)).json()) as { cassettes: Cassette[] }).cassettes;
const cashIn = (list: Cassette[]): number => list.reduce((sum, c) => sum + c.count * c.denomination, 0);

describe('customer flows end to end (ptys, host over TCP)', () => {
  it('shows the balance from the host, card read on the pty and PIN from the PIN pad', async () => {
    await signIn();
    expect((await kiosk.intent({ type: 'ui.optionSelected', option: 'menu.balance' })).accepted).toBe(true);
    const balance = await kiosk.waitForView((v) => v.screen === 'balance');
    expect(balance.data.availableBalanceMinor).toBeGreaterThan(0);
    await kiosk.intent({ type: 'ui.confirmed' });
    await finish();
  });

  it('pays a fast-cash withdrawal with a host-signed token, and the books agree', async () => {
    const before = await availableBalance();
    const cashBefore = cashIn(await cassettes());
    await signIn();
    await kiosk.intent({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
    await kiosk.waitForView((v) => v.screen === 'amount');
    expect((await kiosk.intent({ type: 'ui.optionSelected', option: 'amount.50000' })).accepted).toBe(true);
    await kiosk.waitForView((v) => v.screen === 'receiptQuestion');
    await kiosk.intent({ type: 'ui.optionSelected', option: 'receipt.no' });
    await kiosk.waitForView((v) => v.screen === 'confirm' && v.data.amountMinor === 50_000);
    await kiosk.intent({ type: 'ui.confirmed' });
    await kiosk.waitForView((v) => v.screen === 'takeCash');
    await kiosk.waitForDevice('cashDispenser', (d) => (d.exit as unknown[]).length > 0);
    await kiosk.control('cashDispenser', 'takeNotes');
    await finish();
    expect(cashBefore - cashIn(await cassettes())).toBe(50_000);
    expect(before - (await availableBalance())).toBe(50_000);
  });
});
