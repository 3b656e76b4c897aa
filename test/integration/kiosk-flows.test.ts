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

describe('customer flows end to end (ptys, host over TCP)', () => {
  it('shows the balance from the host, card read on the pty and PIN from the PIN pad', async () => {
    await signIn();
    expect((await kiosk.intent({ type: 'ui.optionSelected', option: 'menu.balance' })).accepted).toBe(true);
    const balance = await kiosk.waitForView((v) => v.screen === 'balance');
    expect(balance.data.availableBalanceMinor).toBeGreaterThan(0);
    await kiosk.intent({ type: 'ui.confirmed' });
    await finish();
  });
});
