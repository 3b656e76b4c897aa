import { expect, test, type Page } from '@playwright/test';
import { startKioskStack, type KioskStack } from './support/kiosk-stack.js';

/**
 * Customer journeys on the whole stack: the kiosk runtime, its devices on
 * simulator ptys, the host simulator, and the renderer in Chromium. The page
 * is driven as a customer drives it (touch buttons by their Chinese labels, or
 * the function keys alone); the simulators' developer API stands in only for
 * the customer's hands at a device: the card, the PIN pad, notes, doors.
 */

const DEMO_CARD = { track2: '6212341234567890=25121011234500000', pin: '123456' };
const PAYEE_ACCOUNT = '6222020000000003';

/**
 * Short customer waits, so that "need more time?" and a card capture happen
 * within a test; long enough for a customer who acts at once on every screen.
 */
const TIMEOUTS = { customerMs: 6000, moreTimePromptMs: 8000, takeCardMs: 3000 };
const STEP_MS = 10_000;

let stack: KioskStack;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  stack = await startKioskStack({ timeouts: TIMEOUTS });
});

test.afterAll(async () => {
  await stack?.stop();
});

// ── What the customer sees and presses ──────────────────────────────────────

async function onScreen(page: Page, screen: string, heading?: string | RegExp): Promise<void> {
  await expect(page.locator(`[data-screen="${screen}"]`)).toBeVisible({ timeout: STEP_MS });
  if (heading !== undefined) await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

const press = (page: Page, name: string): Promise<void> => page.getByRole('button', { name, exact: true }).click();

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: `test-results/screens/flow-${name}.png` });

// ── What the customer does at the devices ───────────────────────────────────

async function insertCard(): Promise<void> {
  await stack.control('cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
}

/** Types on the PIN pad once the kiosk has put it in PIN mode; digits never pass through the page. */
async function typePin(digits: string): Promise<void> {
  await expect.poll(async () => (await stack.device<{ mode: string }>('pinPad')).mode, { timeout: STEP_MS }).toBe('pin');
  await stack.control('pinPad', 'typePin', { digits, enter: true });
}

async function takeNotes(): Promise<void> {
  await expect
    .poll(async () => (await stack.device<{ exit: unknown[] }>('cashDispenser')).exit.length, { timeout: STEP_MS })
    .toBeGreaterThan(0);
  await stack.control('cashDispenser', 'takeNotes', {});
}

async function takeCard(): Promise<void> {
  await expect.poll(async () => (await stack.device<{ position: string }>('cardReader')).position, { timeout: STEP_MS }).toBe('gate');
  await stack.control('cardReader', 'takeCard', {});
}

// ── Journeys' common stretches ──────────────────────────────────────────────

/** Welcome → card → 中文 → PIN on the pad → menu. */
async function signIn(page: Page, pin = DEMO_CARD.pin): Promise<void> {
  await page.goto(stack.url);
  await onScreen(page, 'welcome', '欢迎使用自助服务');
  await insertCard();
  await onScreen(page, 'language', '请选择语言 · Choose a language');
  await press(page, '中文');
  await onScreen(page, 'pin', '请输入密码');
  await expect(page.getByText('为保护您的密码，触摸屏不会要求输入密码')).toBeVisible();
  await typePin(pin);
  await onScreen(page, 'menu', '请选择业务');
}

/** After a transaction: no receipt, no more transactions, take the card, back to welcome. */
async function finish(page: Page): Promise<void> {
  await expect(page.locator('[data-screen="receiptQuestion"], [data-screen="anotherTransaction"]')).toBeVisible({ timeout: STEP_MS });
  if (await page.locator('[data-screen="receiptQuestion"]').isVisible()) {
    await press(page, '不需要');
  }
  await onScreen(page, 'anotherTransaction', '是否继续办理其他业务？');
  await press(page, '结束并退卡');
  await onScreen(page, 'takeCard', '请取回银行卡');
  await takeCard();
  await onScreen(page, 'welcome', '欢迎使用自助服务');
}

// ── The journeys ────────────────────────────────────────────────────────────

test('1. withdraws 500 yuan in Chinese: card, PIN pad, fast cash, no receipt, cash, card', async ({ page }) => {
  await signIn(page);
  // The card number only masked: enough to recognise the card, not to copy it.
  await expect(page.locator('.card-number')).toHaveText(/^卡号 6212.*7890$/);
  await expect(page.locator('.card-number')).not.toContainText('6212341234567890');
  await shot(page, '1-menu');
  await press(page, '取款');

  await onScreen(page, 'amount', '请选择取款金额');
  await expect(page.getByText('单笔最多可取 5,000.00 元')).toBeVisible();
  await shot(page, '1-amount');
  await press(page, '500.00 元');

  await onScreen(page, 'receiptQuestion', '是否需要打印凭条？');
  await press(page, '不需要');

  await onScreen(page, 'confirm', '请确认交易');
  await expect(page.locator('main')).toContainText('500.00 元');
  await shot(page, '1-confirm');
  await press(page, '确认');

  await onScreen(page, 'takeCash', '请取走现金');
  await expect(page.getByText('超时未取，现金将被收回机内')).toBeVisible();
  await shot(page, '1-take-cash');
  await takeNotes();

  await onScreen(page, 'anotherTransaction', '是否继续办理其他业务？');
  await press(page, '结束并退卡');
  await onScreen(page, 'takeCard', '请取回银行卡');
  await expect(page.getByRole('timer')).toBeVisible();
  await shot(page, '1-take-card');
  await takeCard();
  await onScreen(page, 'welcome', '欢迎使用自助服务');
});

test('2. deposits notes with a counterfeit: it is kept, only the genuine notes are credited', async ({ page }) => {
  await signIn(page);
  await press(page, '存款');

  await onScreen(page, 'depositInsert', '请放入现金');
  await shot(page, '2-deposit-insert');
  await stack.control('cashAcceptor', 'insertNotes', {
    notes: [
      { denomination: 10_000, serial: 'FG12345678', quality: 'fit' },
      { denomination: 10_000, serial: 'FG12345679', quality: 'fit' },
      { denomination: 10_000, serial: 'XX00000001', quality: 'counterfeit' },
    ],
  });

  await onScreen(page, 'depositConfirm', '请核对存款金额');
  await expect(page.getByRole('alert').filter({ hasText: '部分钞票疑似假币，已被机器扣留' })).toBeVisible();
  // Two genuine 100-yuan notes: the counterfeit is neither listed nor counted.
  const notes = page.locator('table.notes');
  await expect(notes.locator('tbody tr')).toHaveCount(1);
  await expect(notes.locator('tbody tr td')).toHaveText(['100.00 元', '2', '200.00 元']);
  await expect(notes.locator('.total')).toHaveText('200.00 元');
  await shot(page, '2-deposit-confirm');
  await press(page, '确认存款');

  await finish(page);
  const acceptor = await stack.device<{ hand: unknown }>('cashAcceptor');
  expect(JSON.stringify(acceptor.hand)).not.toContain('XX00000001');
});

test('3. transfers after the anti-fraud warning: masked payee and the 24-hour notice', async ({ page }) => {
  await signIn(page);
  await press(page, '转账');

  await onScreen(page, 'transferPayee', '请输入收款账号');
  const keypad = page.getByRole('group', { name: '数字键盘' });
  for (const digit of PAYEE_ACCOUNT) await keypad.getByRole('button', { name: digit, exact: true }).click();
  await expect(page.locator('#entry-value')).toHaveText('6222 0200 0000 0003');
  await shot(page, '3-payee');
  await keypad.getByRole('button', { name: '确认', exact: true }).click();

  await onScreen(page, 'transferAmount', '请输入转账金额');
  for (const digit of '200') await keypad.getByRole('button', { name: digit, exact: true }).click();
  await expect(page.locator('#entry-value')).toHaveText('200.00 元');
  await keypad.getByRole('button', { name: '确认', exact: true }).click();

  await onScreen(page, 'transferWarning', '警惕电信网络诈骗');
  await expect(page.getByText('公检法机关不会通过电话要求您转账')).toBeVisible();
  await shot(page, '3-warning');
  // Nothing but the warning's own button gets past it: no confirm button, and a reflexive Enter does nothing.
  await expect(page.getByRole('button', { name: '确认', exact: true })).toHaveCount(0);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await onScreen(page, 'transferWarning');
  await press(page, '我已知晓风险，确认本人自愿转账');

  await onScreen(page, 'transferConfirm', '请确认转账信息');
  const details = page.locator('dl.details');
  // The host's payee 李四 appears only masked.
  await expect(details.locator('div', { hasText: '收款人' }).locator('dd')).toHaveText(/^\*+四$/);
  await expect(details).not.toContainText('李');
  await expect(details.locator('div', { hasText: '收款账号' }).locator('dd')).toHaveText('6222 **** **** 0003');
  await expect(details.locator('div', { hasText: '转账金额' }).locator('dd')).toHaveText('200.00 元');
  await expect(page.getByText('根据监管规定，向他人账户的转账将在 24 小时后到账，到账前可申请撤销')).toBeVisible();
  await shot(page, '3-confirm');
  await press(page, '确认');

  await onScreen(page, 'notice', '转账已受理，将延时到账');
  await shot(page, '3-pending');
  // Revoking keeps the demo account's balance as it was for the other journeys.
  await press(page, '撤销这笔转账');
  await finish(page);
});

test('4. changes the PIN on the PIN pad, then changes it back with the new one', async ({ page }) => {
  const changePin = async (to: string, name: string): Promise<void> => {
    await press(page, '修改密码');
    await onScreen(page, 'pinChange', '请输入新密码');
    await typePin(to);
    await onScreen(page, 'pinChange', '请再次输入新密码');
    await shot(page, `4-${name}-repeat`);
    await typePin(to);
    await onScreen(page, 'notice', '密码修改成功');
    await expect(page.getByText('下次请使用新密码')).toBeVisible();
    await shot(page, `4-${name}-changed`);
    await press(page, '知道了');
    await finish(page);
  };
  await signIn(page);
  await changePin('654321', 'change');
  await signIn(page, '654321');
  await changePin(DEMO_CARD.pin, 'restore');
});

test('5. need more time, then cancel: the card not taken is kept, and the screen says so', async ({ page }) => {
  await signIn(page);
  // The customer waits: the kiosk asks, and answering keeps the session where it was.
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeVisible({ timeout: TIMEOUTS.customerMs + STEP_MS });
  await expect(dialog).toContainText('您需要更多时间吗？');
  await shot(page, '5-more-time');
  await dialog.getByRole('button', { name: '需要，继续办理', exact: true }).click();
  await expect(dialog).toBeHidden();
  await onScreen(page, 'menu', '请选择业务');

  const retainedBefore = (await stack.device<{ retainCount: number }>('cardReader')).retainCount;
  await press(page, '取消');
  await onScreen(page, 'takeCard', '请取回银行卡');
  await expect(page.getByText('超时未取，为保障您的资金安全，银行卡将被机器保留，需凭身份证到柜台领取')).toBeVisible();
  await shot(page, '5-take-card');
  // The card stays at the gate until the take-card time runs out.
  await onScreen(page, 'notice', '银行卡超时未取，已被保留');
  await expect(page.getByText('请凭身份证到柜台领取')).toBeVisible();
  await shot(page, '5-captured');
  const reader = await stack.device<{ retainCount: number; position: string }>('cardReader');
  expect(reader.retainCount).toBe(retainedBefore + 1);
  expect(reader.position).toBe('retained');
  await onScreen(page, 'welcome', '欢迎使用自助服务');
});

test('6. goes out of service while the safe door is open, and back in when it closes', async ({ page }) => {
  await page.goto(stack.url);
  await onScreen(page, 'welcome', '欢迎使用自助服务');
  await stack.control('ioBoard', 'door', { door: 'safe', open: true });
  await onScreen(page, 'outOfService', '暂停服务');
  await expect(page.locator('.reasons')).toContainText('设备维护中');
  await shot(page, '6-out-of-service');
  await stack.control('ioBoard', 'door', { door: 'safe', open: false });
  await onScreen(page, 'welcome', '欢迎使用自助服务');
});

test('7. withdraws with the keys alone and voice prompts through the headphones', async ({ page }) => {
  const voice = page.locator('audio.voice');
  const speaks = async (screen: string): Promise<void> => {
    await onScreen(page, screen);
    await expect(voice).toHaveAttribute('data-voice', `voice/zh-CN/${screen}.wav`);
  };
  await page.goto(stack.url);
  await onScreen(page, 'welcome');
  await expect(voice).not.toHaveAttribute('data-voice', /./);
  await stack.control('ioBoard', 'headphones', { inserted: true });
  try {
    await speaks('welcome');
    // The prompt is a real recording the page may load under its CSP.
    const src = await voice.evaluate((audio: HTMLAudioElement) => audio.src);
    const wav = await page.request.get(src);
    expect(wav.ok()).toBe(true);
    expect((await wav.body()).subarray(0, 4).toString('ascii')).toBe('RIFF');

    await insertCard();
    await speaks('language');
    await page.keyboard.press('F1'); // 中文
    await speaks('pin');
    await typePin(DEMO_CARD.pin);
    await speaks('menu');
    await shot(page, '7-menu-voice');
    await page.keyboard.press('F1'); // 取款
    await speaks('amount');
    await page.keyboard.press('F2'); // 500.00 元
    await speaks('receiptQuestion');
    await page.keyboard.press('F2'); // 不需要
    await speaks('confirm');
    await expect(page.locator('main')).toContainText('500.00 元');
    await page.keyboard.press('Enter'); // 确认
    await speaks('takeCash');
    await takeNotes();
    await speaks('anotherTransaction');
    await page.keyboard.press('F2'); // 结束并退卡
    await speaks('takeCard');
    await takeCard();
    await speaks('welcome');
  } finally {
    await stack.control('ioBoard', 'headphones', { inserted: false });
  }
  await expect(voice).not.toHaveAttribute('data-voice', /./);
});
