import { chromium } from '@playwright/test';
import type { ScreenId } from '../../main/ipc-contract/view.js';
import { fixtureView } from '../e2e/screens/support/fixtures.js';
import { startScreenHost } from '../e2e/screens/support/screen-host.js';
import { quantile } from './support/stats.js';

/** Screens that differ a lot from one another, so every view is a full screen change. */
const CYCLE: readonly ScreenId[] = [
  'welcome',
  'menu',
  'amount',
  'amountEntry',
  'miniStatement',
  'transferConfirm',
  'takeCash',
  'depositConfirm',
];
const WARMUP = 10;

/** The browser globals the in-page probe uses; this file compiles without the DOM library. */
interface Probe {
  /** seq → ms from the view's arrival mark to the frame after its commit. */
  kioskPaints?: Map<number, number>;
  readonly document: {
    body: unknown;
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
  readonly MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  requestAnimationFrame(callback: () => void): number;
  readonly performance: { now(): number; getEntriesByName(name: string): { startTime: number }[] };
}

/**
 * View-to-paint latency of the built renderer (run `npm run build:renderer`
 * first): views go through the real browser host and WebSocket bridge; the
 * page marks each arrival (`kiosk:view:<seq>`, set in use-view.ts), a
 * MutationObserver sees React commit the new `data-seq`, and the next
 * requestAnimationFrame — the frame that paints it — closes the measurement.
 */
export async function benchPaint(samples = 200): Promise<{ p50Ms: number; p99Ms: number; samples: number }> {
  const host = await startScreenHost();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    host.show(fixtureView('starting', { language: 'zh-CN', elderly: false, highContrast: false }));
    await page.locator('[data-seq]').waitFor();
    await page.evaluate(() => {
      const w = globalThis as unknown as Probe;
      const paints = new Map<number, number>();
      w.kioskPaints = paints;
      let last = '';
      new w.MutationObserver(() => {
        const seq = w.document.querySelector('[data-seq]')?.getAttribute('data-seq') ?? '';
        if (seq === last) return;
        last = seq;
        w.requestAnimationFrame(() => {
          const mark = w.performance.getEntriesByName(`kiosk:view:${seq}`)[0];
          if (mark) paints.set(Number(seq), w.performance.now() - mark.startTime);
        });
      }).observe(w.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-seq'] });
    });
    const measured: number[] = [];
    for (let i = 0; i < samples + WARMUP; i++) {
      const screen = CYCLE[i % CYCLE.length] ?? 'welcome';
      const seq = host.show(
        fixtureView(screen, { language: i % 2 ? 'en' : 'zh-CN', elderly: false, highContrast: false }),
      );
      const ms = await page.waitForFunction((s) => (globalThis as unknown as Probe).kioskPaints?.get(s), seq, {
        polling: 'raf',
      });
      if (i >= WARMUP) measured.push((await ms.jsonValue()) ?? Number.NaN);
    }
    return { p50Ms: round(quantile(measured, 0.5)), p99Ms: round(quantile(measured, 0.99)), samples: measured.length };
  } finally {
    await browser.close();
    await host.close();
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
