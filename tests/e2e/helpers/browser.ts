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

/** A full-page screenshot from the top (the sticky header would otherwise land mid-page). */
export async function shot(page: Page, name: string, fullPage = true) {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** True when the page is wider than its viewport (what a tablet or phone must never do). */
export const hasHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
