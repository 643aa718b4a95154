import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium for the e2e tests (LOCAL_STACK_NOTES: playwright-core + the system
 * browser; never `npx playwright install`). One browser per test file, one context per signed-in
 * person, every page's uncaught errors collected so a test can assert there were none.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screens as the browser tests see them; the guides in docs/ show these files, so they stay true. */
export const SCREENSHOTS = path.join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

export interface E2eBrowser {
  browser: Browser;
  /** Uncaught page errors and console errors, from every page opened through `newPage`. */
  errors: string[];
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<E2eBrowser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Vietnamese UI locale, so date and time inputs render as Vietnamese staff see them (24-hour clock).
    args: [...CHROMIUM_FLAGS, '--lang=vi-VN'],
  });
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    browser,
    errors,
    async newPage(options = {}) {
      const context = await browser.newContext({
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
        viewport: { width: 1440, height: 960 },
        ...options,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Codes a person would read on the page: UPPER_SNAKE (`POSSIBLE_DUPLICATE`) and snake_case
 * (`new_for_old`, `in_force`) words and catalogue keys (`customer.x`, `label.status.PAID`) in the
 * visible text. Code shown as code (`<code>`, `<pre>`, text boxes: template variables, JSON editors)
 * is left out, and so are file names people gave their uploads (`repair_invoice.pdf`).
 */
export async function rawCodes(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('code, pre, textarea, script, style, noscript')) continue;
      if (!el.checkVisibility()) continue;
      parts.push(n.textContent ?? '');
    }
    return parts.join(' ');
  });
  const codes =
    text.match(
      /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.(?:pdf|png|jpe?g|heic|xml|csv|xlsx?)\b)|\b(?:api|field|label|customer|console|staff|email|intake)\.[A-Za-z0-9_.]+[A-Za-z0-9_]\b/g,
    ) ?? [];
  return [...new Set(codes)];
}

/**
 * A full-page screenshot from the top (the sticky header would otherwise land mid-page), after
 * checking that the screen shows no raw code (`rawCodes`): every screen a test photographs is checked.
 */
export async function shot(page: Page, name: string, fullPage = true) {
  const codes = await rawCodes(page);
  if (codes.length > 0) throw new Error(`${name}: raw codes on screen: ${codes.join(', ')}`);
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** True when the page is wider than its viewport (what a tablet or phone must never do). */
export const hasHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
