import { expect, test, type Page } from '@playwright/test';
import { SCREEN_TRAITS, visibleOptions } from '../../../renderer/src/model/screen-actions.js';
import { seriousViolations } from './support/axe.js';
import { catalogues, expectedTitle, fixtureView, SCREEN_IDS, variantName, type Variant } from './support/fixtures.js';
import { startScreenHost, type ScreenHost } from './support/screen-host.js';

/**
 * Every screen in every language and display mode: the heading from the
 * catalogue, one button per offered option, Cancel exactly on customer steps,
 * a screenshot, and no serious or critical axe-core violation.
 */
const VARIANTS: readonly Variant[] = [
  { language: 'zh-CN', elderly: false, highContrast: false },
  { language: 'en', elderly: false, highContrast: false },
  { language: 'zh-CN', elderly: true, highContrast: false },
  { language: 'en', elderly: true, highContrast: false },
  { language: 'zh-CN', elderly: false, highContrast: true },
];

let host: ScreenHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  host = await startScreenHost();
  page = await browser.newPage();
});
test.afterAll(async () => {
  await page?.close();
  await host?.close();
});

for (const variant of VARIANTS) {
  test.describe(variantName(variant), () => {
    for (const screen of SCREEN_IDS) {
      test(screen, async () => {
        const view = fixtureView(screen, variant);
        const seq = host.show(view);
        if (page.url() === 'about:blank') await page.goto(host.url);
        const root = page.locator(`[data-seq="${seq}"]`);
        await expect(root).toHaveAttribute('data-screen', screen);
        await expect(page.locator('html')).toHaveAttribute('lang', variant.language);

        await expect(page.getByRole('heading', { level: 1 })).toHaveText(expectedTitle(screen, catalogues[variant.language]));
        const options = visibleOptions({ ...view, seq });
        for (const option of options) await expect(root.locator(`[data-option="${option}"]`)).toBeVisible();
        const confirm = SCREEN_TRAITS[screen].confirm;
        await expect(root.locator('[data-option="confirm"]')).toHaveCount(confirm ? 1 : 0);
        if (confirm) await expect(root.locator('[data-option="confirm"]')).toContainText(catalogues[variant.language][confirm] ?? '');
        await expect(root.getByRole('button', { name: catalogues[variant.language]['action.cancel'], exact: true })).toHaveCount(
          SCREEN_TRAITS[screen].cancel ? 1 : 0,
        );

        await page.screenshot({ path: `test-results/screens/${screen}-${variantName(variant)}.png` });
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
}

test('the axe check fails on a nameless button', async () => {
  // The check must be able to fail: add a button with no accessible name to a rendered screen.
  const seq = host.show(fixtureView('menu', VARIANTS[0] ?? { language: 'zh-CN', elderly: false, highContrast: false }));
  await expect(page.locator(`[data-seq="${seq}"]`)).toBeVisible();
  await page.locator('main').evaluate((main) => main.appendChild(document.createElement('button')));
  expect((await seriousViolations(page)).join()).toContain('button-name');
});
