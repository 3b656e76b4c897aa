import type { Page } from '@playwright/test';

export interface Measurements {
  /** Visible text smaller than the minimum: "<font-size> <text>". */
  readonly smallText: string[];
  /** Visible buttons smaller than the minimum: "<w>x<h> <text>". */
  readonly smallButtons: string[];
  /** Text whose contrast with its background is below the minimum: "<ratio> <text>". */
  readonly lowContrast: string[];
  /** The lowest contrast ratio seen. */
  readonly minContrast: number;
  /** The screen needs scrolling to show all of it. */
  readonly overflows: boolean;
}

/**
 * Measures the rendered page from computed styles: every visible text node's
 * font size and its contrast against the composited background (WCAG 2
 * relative luminance), every button's box. Text under the inert page beneath
 * a dialog and inside disabled buttons is exempt, as WCAG exempts it.
 */
export function measure(page: Page, limits: { minFontPx: number; minTargetPx: number; minContrast: number }): Promise<Measurements> {
  return page.evaluate((lim) => {
    const rgba = (css: string): [number, number, number, number] => {
      const parts = (/rgba?\(([^)]+)\)/.exec(css)?.[1] ?? '0 0 0 0').split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const channel = (v: number): number => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]: number[]): number => 0.2126 * channel(r ?? 0) + 0.7152 * channel(g ?? 0) + 0.0722 * channel(b ?? 0);
    const over = (top: number[], under: number[]): number[] => {
      const a = top[3] ?? 1;
      return [0, 1, 2].map((i) => (top[i] ?? 0) * a + (under[i] ?? 0) * (1 - a)).concat(1);
    };
    const background = (el: Element): number[] => {
      const layers: number[][] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if ((c[3] ?? 0) > 0) layers.push(c);
        if ((c[3] ?? 0) >= 1) break;
      }
      return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && !el.closest('[inert]') && getComputedStyle(el).visibility !== 'hidden';
    };

    const smallText: string[] = [];
    const lowContrast: string[] = [];
    let minContrast = 21;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const el = node.parentElement;
      if (!text || !el || !visible(el) || el.closest('button:disabled')) continue;
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      if (size < lim.minFontPx) smallText.push(`${size}px ${text}`);
      const fg = over(rgba(style.color), background(el));
      const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      minContrast = Math.min(minContrast, ratio);
      if (ratio < lim.minContrast) lowContrast.push(`${ratio.toFixed(2)} ${text}`);
    }
    const smallButtons = Array.from(document.querySelectorAll('button'))
      .filter(visible)
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width < lim.minTargetPx || r.height < lim.minTargetPx)
      .map(({ b, r }) => `${Math.round(r.width)}x${Math.round(r.height)} ${b.textContent ?? ''}`);
    const screen = document.querySelector('.screen');
    const overflows = screen ? screen.scrollHeight > screen.clientHeight + 1 : false;
    return { smallText, smallButtons, lowContrast, minContrast, overflows };
  }, limits);
}
