import { expect, test, type Page } from '@playwright/test';
import { isMaintenanceScreen } from '../../../main/ipc-contract/view.js';
import { fixtureView, SCREEN_IDS, variantName, type Variant } from './support/fixtures.js';
import { measure } from './support/measure.js';
import { startScreenHost, type ScreenHost } from './support/screen-host.js';

/**
 * Elderly mode (customer screens): text of at least 18 pt (24 px), touch
 * targets of at least 60×60 px; every mode: text contrast of at least 4.5:1 and nothing that
 * needs scrolling, on every screen and under "need more time?".
 */
const ELDERLY = { minFontPx: 24, minTargetPx: 60, minContrast: 4.5 };
const NORMAL = { minFontPx: 0, minTargetPx: 44, minContrast: 4.5 };

const VARIANTS: readonly Variant[] = [
  { language: 'zh-CN', elderly: true, highContrast: false },
  { language: 'en', elderly: true, highContrast: false },
  { language: 'en', elderly: true, highContrast: true },
  { language: 'zh-CN', elderly: false, highContrast: false },
  { language: 'en', elderly: false, highContrast: true },
  { language: 'zh-CN', elderly: true, highContrast: false, moreTime: true },
];

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

for (const variant of VARIANTS) {
  test(`sizes, contrast and fit on every screen: ${variantName(variant)}${variant.moreTime ? ' with "need more time?"' : ''}`, async () => {
    const problems: Record<string, unknown> = {};
    let minContrast = 21;
    for (const screen of SCREEN_IDS) {
      // Elderly mode is the customer's; the technician's screens stay dense under it.
      const limits = variant.elderly && !isMaintenanceScreen(screen) ? ELDERLY : NORMAL;
      const seq = host.show(fixtureView(screen, variant));
      await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
      if (variant.moreTime) await expect(page.getByRole('alertdialog')).toBeVisible();
      const m = await measure(page, limits);
      minContrast = Math.min(minContrast, m.minContrast);
      const found = Object.fromEntries(
        Object.entries({
          smallText: m.smallText,
          smallButtons: m.smallButtons,
          lowContrast: m.lowContrast,
          overflows: m.overflows,
        }).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v)),
      );
      if (Object.keys(found).length > 0) problems[screen] = found;
    }
    test.info().annotations.push({ type: 'min contrast', description: minContrast.toFixed(2) });
    expect(problems).toEqual({});
  });
}

test('the measurement fails on small, low-contrast text', async () => {
  // The check must be able to fail: shrink and fade the welcome prompt and measure again.
  const seq = host.show(fixtureView('welcome', { language: 'zh-CN', elderly: true, highContrast: false }));
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
  await page.locator('.prompt').evaluate((el: HTMLElement) => {
    el.style.fontSize = '14px';
    el.style.color = '#aaaaaa';
  });
  const m = await measure(page, ELDERLY);
  expect(m.smallText.length).toBeGreaterThan(0);
  expect(m.lowContrast.length).toBeGreaterThan(0);
});

test('content taller than the screen is seen by the measurement and scrolls from its top, not cut off above', async () => {
  const seq = host.show(fixtureView('welcome', { language: 'zh-CN', elderly: false, highContrast: false }));
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
  await page.locator('.screen').evaluate((screen: HTMLElement) => {
    const tall = document.createElement('div');
    tall.style.height = '2000px';
    tall.style.flexShrink = '0';
    screen.append(tall);
  });
  expect((await measure(page, NORMAL)).overflows).toBe(true);
  const [screenTop, headingTop] = await page.evaluate(() => [
    document.querySelector('.screen')?.getBoundingClientRect().top ?? NaN,
    document.querySelector('.screen h1')?.getBoundingClientRect().top ?? NaN,
  ]);
  expect(headingTop).toBeGreaterThanOrEqual(screenTop);
});
