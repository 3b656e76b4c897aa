import { expect, test } from '@playwright/test';
import { startKioskStack, type KioskStack } from './support/kiosk-stack.js';

let stack: KioskStack;

test.beforeAll(async () => {
  stack = await startKioskStack();
});

test.afterAll(async () => {
  await stack?.stop();
});

test('shows the welcome screen in Chinese, then English, with device status from the simulators', async ({ page }) => {
  await page.goto(stack.url);
  await expect(page.locator('[data-screen="welcome"]')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('欢迎使用自助服务');
  await expect(page.locator('[data-device="receiptPrinter"]')).toHaveAttribute('data-state', 'online');
  await expect(page.locator('[data-service="receipts"]')).toHaveAttribute('data-available', 'true');
  await page.screenshot({ path: 'test-results/screens/welcome-zh-CN.png' });

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.screenshot({ path: 'test-results/screens/welcome-en.png' });
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('欢迎使用自助服务');
});

test('follows the simulated printer: paper out pauses receipts, power loss takes the kiosk out of service', async ({ page }) => {
  await page.goto(stack.url);
  await expect(page.locator('[data-screen="welcome"]')).toBeVisible();

  await stack.control('receiptPrinter', 'paper', { level: 'out' });
  await expect(page.locator('[data-service="receipts"]')).toHaveAttribute('data-available', 'false');
  await stack.control('receiptPrinter', 'paper', { level: 'full' });
  await expect(page.locator('[data-service="receipts"]')).toHaveAttribute('data-available', 'true');

  await stack.control('receiptPrinter', 'power', { on: false });
  await expect(page.locator('[data-screen="outOfService"]')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('暂停服务');
  await expect(page.locator('[data-device="receiptPrinter"]')).toHaveAttribute('data-state', 'offline');
  await page.screenshot({ path: 'test-results/screens/out-of-service-zh-CN.png' });

  await stack.control('receiptPrinter', 'power', { on: true });
  await expect(page.locator('[data-screen="welcome"]')).toBeVisible({ timeout: 10_000 });
});

test('refuses a bridge connection without the boot token or from another origin', async ({ page }) => {
  const origin = new URL(stack.url).origin;
  await page.goto(stack.url);
  const results = await page.evaluate(async (base) => {
    const attempt = (url: string): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('refused');
      });
    return {
      noToken: await attempt(`${base.replace('http', 'ws')}/bridge`),
      badToken: await attempt(`${base.replace('http', 'ws')}/bridge?token=guess`),
    };
  }, origin);
  expect(results).toEqual({ noToken: 'refused', badToken: 'refused' });
});
