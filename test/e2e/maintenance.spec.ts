import { expect, test, type Page } from '@playwright/test';
import { startKioskStack, type KioskStack } from './support/kiosk-stack.js';

/**
 * The technician's supervisor mode on the whole stack: the operator switch on
 * the simulated I/O board, login and a replenishment typed on the screens, the
 * notes loaded into the simulated dispenser by hand. The test bench operator
 * (docs/maintenance.md) is in the embedded configuration.
 */

const STEP_MS = 10_000;
let stack: KioskStack;

test.beforeAll(async () => {
  stack = await startKioskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

async function onScreen(page: Page, screen: string, heading: string): Promise<void> {
  await expect(page.locator(`[data-screen="${screen}"]`)).toBeVisible({ timeout: STEP_MS });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
}

const press = (page: Page, name: string): Promise<void> => page.getByRole('button', { name, exact: true }).click();
const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `test-results/screens/flow-maint-${name}.png` });

async function logIn(page: Page, operatorId: string, password: string): Promise<void> {
  await page.getByLabel('操作员号').fill(operatorId);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await press(page, '登录');
}

test('a technician logs in and replenishes a cassette through the screens; the dispenser counts what was loaded', async ({
  page,
}) => {
  await page.goto(stack.url);
  await onScreen(page, 'welcome', '欢迎使用自助服务');

  await stack.control('ioBoard', 'operatorSwitch', { position: 'supervisor' });
  await onScreen(page, 'maintLogin', '维护登录');
  await logIn(page, 'tech01', '135790');
  await expect(page.getByRole('alert')).toHaveText('操作员号或密码错误');
  // The password field is emptied once sent; the id stays for the next try.
  await expect(page.getByLabel('密码', { exact: true })).toHaveValue('');
  await shot(page, 'login-wrong');
  await logIn(page, 'tech01', '246810');

  await onScreen(page, 'maintMenu', '维护菜单');
  await expect(page.getByText('操作员：tech01')).toBeVisible();
  await shot(page, 'menu');

  // The engineer puts 300 notes of 50 yuan into cassette 2, then declares them.
  await stack.control('cashDispenser', 'loadCassette', { unit: 2, denomination: 5_000, count: 300 });
  await press(page, '加钞');
  await onScreen(page, 'maintReplenish', '加钞');
  // The reject bin and the recycler's units are counted too: the bin and the cashbox empty, the recycle units as they stand.
  const counts = { unit1: '50', unit2: '300', unit3: '50', unit4: '50', reject: '0', recycle1: '10', recycle2: '10', cashbox: '0' };
  for (const [unit, count] of Object.entries(counts)) await page.getByLabel(`${unit} 新张数`).fill(count);
  await shot(page, 'replenish');
  await press(page, '下一步');

  await onScreen(page, 'maintReplenishConfirm', '确认加钞');
  await expect(page.locator('tr[data-unit="unit2"] .new-count')).toHaveText('300');
  await expect(page.locator('tr[data-unit="reject"] .new-count')).toHaveText('0');
  await press(page, '确认');

  await onScreen(page, 'maintNotice', '操作结果');
  await expect(page.getByRole('status')).toHaveText('加钞完成，账务已更新');
  await expect(page.locator('tr[data-unit="unit2"]')).toHaveAttribute('data-count', '300');
  await shot(page, 'replenished');
  const dispenser = await stack.device<{ cassettes: { count: number }[] }>('cashDispenser');
  expect(dispenser.cassettes.map((c) => c.count)).toEqual([50, 300, 50, 50]);

  await press(page, '知道了');
  await press(page, '钞箱信息');
  await onScreen(page, 'maintCashUnits', '钞箱信息');
  await expect(page.locator('tr[data-unit="unit2"]')).toHaveAttribute('data-count', '300');
  await press(page, '返回');
  await press(page, '退出登录');
  await onScreen(page, 'maintLogin', '维护登录');
  await expect(page.getByRole('alert')).toHaveText('已退出登录');

  await stack.control('ioBoard', 'operatorSwitch', { position: 'run' });
  await onScreen(page, 'welcome', '欢迎使用自助服务');
});
