import { expect, test, type Page } from '@playwright/test';
import type { Intent } from '../../../main/ipc-contract/intents.js';
import type { ScreenId } from '../../../main/ipc-contract/view.js';
import { fixtureView, FAST_CASH, type Variant } from './support/fixtures.js';
import { startScreenHost, type ScreenHost } from './support/screen-host.js';

/** Touch, function keys, the PIN pad's keys and a keyboard alone: each sends exactly the expected intent. */
const ZH: Variant = { language: 'zh-CN', elderly: false, highContrast: false };
const EN: Variant = { language: 'en', elderly: false, highContrast: false };

let host: ScreenHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  host = await startScreenHost();
  page = await browser.newPage();
  await page.goto(host.url);
});
test.afterAll(async () => {
  await page?.close();
  await host?.close();
});

async function show(screen: ScreenId, variant: Variant = ZH): Promise<void> {
  const seq = host.show(fixtureView(screen, variant));
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
}

/** Runs `act` and returns the intents it made the page send (waiting for `count` of them). */
async function sent(act: () => Promise<void>, count = 1): Promise<Intent[]> {
  const before = host.intents.length;
  await act();
  await expect.poll(() => host.intents.length).toBeGreaterThanOrEqual(before + count);
  // Nothing more may follow: give a stray second intent the time to arrive.
  await page.waitForTimeout(50);
  return host.intents.slice(before);
}

test('fast cash: the 500 button reads per locale and selects amount.50000', async () => {
  await show('amount');
  const button = page.locator('[data-option="amount.50000"]');
  await expect(button).toHaveText(/500\.00 元$/);
  expect(await sent(() => button.click())).toEqual([{ type: 'ui.optionSelected', option: 'amount.50000' }]);

  await show('amount', EN);
  await expect(page.locator('[data-option="amount.50000"]')).toHaveText(/CNY\s500\.00$/);
});

test('elderly mode shows at most four fast-cash amounts and "other amount"', async () => {
  await show('amount', { ...ZH, elderly: true });
  await expect(page.locator('[data-option^="amount."]')).toHaveCount(5);
  await expect(page.locator('[data-option="amount.200000"]')).toHaveCount(0);
  await expect(page.locator('.promotion')).toHaveCount(0);
});

test('the touch keypad builds an amount and sends it in minor units', async () => {
  await show('amountEntry');
  const confirm = page.locator('.keypad [data-key="enter"]');
  await expect(confirm).toBeDisabled();
  for (const key of ['2', '5', '9', 'back', '0', '0']) await page.locator(`.keypad [data-key="${key}"]`).click();
  await expect(page.locator('.entry-value')).toHaveText('2,500.00 元');
  expect(await sent(() => confirm.click())).toEqual([{ type: 'ui.amountEntered', amountMinor: 250_000 }]);
  await page.locator('.keypad [data-key="clear"]').click();
  await expect(confirm).toBeDisabled();
});

test('the PIN pad digits and Enter drive the amount entry; a runtime refusal clears it', async () => {
  await show('amountEntry', EN);
  await page.keyboard.type('1200');
  await expect(page.locator('.entry-value')).toHaveText(/CNY\s1,200\.00/);
  expect(await sent(() => page.keyboard.press('Enter'))).toEqual([{ type: 'ui.amountEntered', amountMinor: 120_000 }]);

  const refused = fixtureView('amountEntry', EN);
  const seq = host.show({ ...refused, data: { ...refused.data, message: 'withdrawal.invalidAmount' } });
  await expect(page.locator(`[data-seq="${seq}"] [data-message="withdrawal.invalidAmount"]`)).toHaveText('That amount cannot be paid');
  await expect(page.locator('.entry-value')).toHaveAttribute('data-entry', '');
});

test('the payee account is typed on the keypad and sent as text', async () => {
  await show('transferPayee');
  await page.keyboard.type('6222021234567890');
  await expect(page.locator('.entry-value')).toHaveText('6222 0212 3456 7890');
  expect(await sent(() => page.keyboard.press('Enter'))).toEqual([
    { type: 'ui.textEntered', field: 'payeeAccount', text: '6222021234567890' },
  ]);
});

test('the PIN screen has no digit buttons: the PIN goes on the PIN pad only', async () => {
  await show('pin');
  await expect(page.locator('.pin-dots')).toHaveAttribute('data-digits', '4');
  await expect(page.locator('.pin-dots .dot.filled')).toHaveCount(4);
  await expect(page.locator('.keypad')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^[0-9]$/ })).toHaveCount(0);
  // Digits typed on a keyboard on this screen go nowhere.
  const before = host.intents.length;
  await page.keyboard.type('1234');
  await page.waitForTimeout(50);
  expect(host.intents.length).toBe(before);
});

test('function keys F1–F8 reach the options in order; Enter does the first; Escape cancels', async () => {
  await show('amount');
  for (const [i, option] of FAST_CASH.entries()) {
    expect(await sent(() => page.keyboard.press(`F${i + 1}`))).toEqual([{ type: 'ui.optionSelected', option }]);
  }
  expect(await sent(() => page.keyboard.press('Enter'))).toEqual([{ type: 'ui.optionSelected', option: 'amount.10000' }]);
  expect(await sent(() => page.keyboard.press('Escape'))).toEqual([{ type: 'ui.cancelPressed' }]);
});

test('keyboard alone: Tab reaches every option and Cancel, and Enter on one sends it', async () => {
  await show('menu');
  // A new screen starts with its heading focused, so Tab begins at its first option.
  await expect(page.locator('h1')).toBeFocused();
  const options = await page.locator('[data-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-option')));
  expect(options).toHaveLength(6);
  const reached: string[] = [];
  for (let i = 0; i < options.length + 1; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement?.getAttribute('data-option') ?? document.activeElement?.getAttribute('data-action') ?? ''));
  }
  expect(reached).toEqual([...options, 'cancel']);
  await page.keyboard.press('Shift+Tab'); // back to the last option
  await expect(page.locator(':focus')).toHaveAttribute('data-option', options.at(-1) ?? '');
  expect(await sent(() => page.keyboard.press('Enter'))).toEqual([{ type: 'ui.optionSelected', option: options.at(-1) }]);
  expect(await sent(() => page.locator('[data-action="cancel"]').click())).toEqual([{ type: 'ui.cancelPressed' }]);
});

test('focus is visible on the focused option', async () => {
  await show('receiptQuestion');
  await page.keyboard.press('Tab');
  const outline = await page.locator(':focus').evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
  expect(outline).toBe('solid 4px');
});

test('the anti-fraud warning is acknowledged only by its own button, never by a reflexive Enter', async () => {
  await show('transferWarning');
  const before = host.intents.length;
  await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  expect(host.intents.length).toBe(before);
  await expect(page.locator('[data-option="confirm"]')).toHaveCount(0);
  expect(await sent(() => page.locator('[data-option="fraudWarning.acknowledged"]').click())).toEqual([
    { type: 'ui.optionSelected', option: 'fraudWarning.acknowledged' },
  ]);
});

test('display screens offer no Cancel and Escape does nothing there', async () => {
  for (const screen of ['pleaseWait', 'takeCard', 'takeCash'] as const) {
    await show(screen);
    await expect(page.locator('[data-action="cancel"]')).toHaveCount(0);
    const before = host.intents.length;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(50);
    expect(host.intents.length).toBe(before);
  }
  // takeCash counts down from the runtime's deadline.
  await expect(page.getByRole('timer')).toContainText(/剩余 (30|29|28) 秒/);
});

test('"need more time?" covers the screen; yes asks for more time, no cancels', async () => {
  const seq = host.show(fixtureView('amount', { ...ZH, moreTime: true }));
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('您需要更多时间吗？');
  await expect(dialog.locator('[data-option="moreTime.yes"]')).toBeFocused();
  await expect(page.locator('.page')).toHaveAttribute('inert', '');
  await page.screenshot({ path: 'test-results/screens/moreTime-zh-CN.png' });
  expect(await sent(() => dialog.locator('[data-option="moreTime.yes"]').click())).toEqual([{ type: 'ui.moreTimeRequested' }]);
  expect(await sent(() => page.keyboard.press('F2'))).toEqual([{ type: 'ui.cancelPressed' }]);
  // The fast-cash buttons beneath do not react.
  const before = host.intents.length;
  await page.locator('[data-option="amount.50000"]').click({ force: true });
  await page.waitForTimeout(50);
  expect(host.intents.length).toBe(before);
});

test('welcome: language and accessibility switches send their intents', async () => {
  await show('welcome');
  expect(await sent(() => page.getByRole('button', { name: 'English' }).click())).toEqual([{ type: 'ui.languageSelected', language: 'en' }]);
  expect(await sent(() => page.locator('[data-option="accessibility.elderly"]').click())).toEqual([
    { type: 'ui.accessibilityChanged', elderly: true, highContrast: false },
  ]);
  expect(await sent(() => page.keyboard.press('F4'))).toEqual([{ type: 'ui.accessibilityChanged', elderly: false, highContrast: true }]);
});

test('balance: print a receipt or finish', async () => {
  await show('balance');
  await expect(page.locator('.main-figure dd')).toHaveText('12,345.67 元');
  expect(await sent(() => page.locator('[data-option="receipt.print"]').click())).toEqual([{ type: 'ui.optionSelected', option: 'receipt.print' }]);
  expect(await sent(() => page.locator('[data-option="confirm"]').click())).toEqual([{ type: 'ui.confirmed' }]);
});

test('voice on: each screen plays its own prompt in the customer’s language', async () => {
  for (const [screen, variant] of [
    ['pin', ZH],
    ['takeCash', EN],
  ] as const) {
    const seq = host.show(fixtureView(screen, { ...variant, voice: true }));
    await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
    const audio = page.locator('audio.voice');
    await expect(audio).toHaveAttribute('data-voice', `voice/${variant.language}/${screen}.wav`);
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(0.5);
  }
  const seq = host.show(fixtureView('pin', ZH));
  await expect(page.locator(`[data-seq="${seq}"] audio.voice`)).not.toHaveAttribute('data-voice');
});

test('a pending transfer shown as a notice can be revoked or finished', async () => {
  const base = fixtureView('notice', EN);
  const seq = host.show({
    ...base,
    options: ['transfer.revoke'],
    data: { currency: 'CNY', amountMinor: 300_000, creditDelayHours: 24, message: 'transfer.pending' },
  });
  await expect(page.locator(`[data-seq="${seq}"] h1`)).toHaveText('The transfer will arrive later');
  await expect(page.locator('.amount-value')).toHaveText(/CNY\s3,000\.00/);
  expect(await sent(() => page.keyboard.press('F1'))).toEqual([{ type: 'ui.optionSelected', option: 'transfer.revoke' }]);
  expect(await sent(() => page.keyboard.press('F2'))).toEqual([{ type: 'ui.confirmed' }]);
});
