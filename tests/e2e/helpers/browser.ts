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

/** Where the apps keep a language chosen with the VI | EN switch (web/shared/locale.tsx). */
const LOCALE_KEY = 'vnclaims.locale';

/**
 * A full-page screenshot from the top (the sticky header would otherwise land mid-page), after
 * checking that the screen shows no raw code (`rawCodes`): every screen a test photographs is checked.
 * Unless `current` is asked for, the same screen is then photographed in the other language too
 * (`<name>.en.png` or `<name>.vi.png`, through the page's own VI | EN switch, every text checked
 * the same way) and put back as it was, so the guides of both languages show real screens.
 */
export async function shot(
  page: Page,
  name: string,
  fullPage = true,
  languages: 'both' | 'current' = 'both',
) {
  await photograph(page, `${name}.png`, fullPage);
  if (languages === 'current') return;
  await inOtherLanguage(page, (other) => photograph(page, `${name}.${other}.png`, fullPage));
}

/**
 * Runs `fn` with the page switched to its other language (VI ⇄ EN, through the header's switch),
 * then puts the page back as it was, the remembered choice included.
 */
export async function inOtherLanguage(page: Page, fn: (other: 'vi' | 'en') => Promise<unknown>) {
  const shown = await page.evaluate(() => document.documentElement.lang);
  const other = shown === 'en' ? 'vi' : 'en';
  const chosen = await page.evaluate((k) => localStorage.getItem(k), LOCALE_KEY);
  await switchLanguage(page, other);
  try {
    await fn(other);
  } finally {
    await switchLanguage(page, shown);
    // The switch remembers a choice; a page that followed the profile's language goes on doing so.
    await page.evaluate(([k, v]) => (v === null ? localStorage.removeItem(k) : localStorage.setItem(k, v)), [
      LOCALE_KEY,
      chosen,
    ] as const);
  }
}

async function photograph(page: Page, file: string, fullPage: boolean) {
  const codes = await rawCodes(page);
  if (codes.length > 0) throw new Error(`${file}: raw codes on screen: ${codes.join(', ')}`);
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage });
}

/**
 * Presses the header's language button, by script: a modal dialog makes the header inert to the
 * pointer, and the screen behind a dialog is photographed too. Waits for the page's language, then
 * for two frames (the re-render).
 */
async function switchLanguage(page: Page, locale: string) {
  await page.evaluate((l) => {
    const button = document.querySelector<HTMLButtonElement>(`.lang-switch button[lang="${l}"]`);
    if (!button) throw new Error('no language switch on this screen');
    button.click();
  }, locale);
  await page.waitForFunction((l) => document.documentElement.lang === l, locale, { timeout: 15_000 });
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForTimeout(150);
}

/** True when the page is wider than its viewport (what a tablet or phone must never do). */
export const hasHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
