import * as chromeLauncher from 'chrome-launcher';
import { navigation } from 'lighthouse';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_FLAGS } from './browser.ts';

/**
 * Lighthouse on the customer app in one Chromium tab, on Lighthouse's default phone profile (a
 * mid-range phone on slow 4G with a 4× slower CPU, simulated): the e2e test holds accessibility and
 * best practices to their bar, the bench (tests/bench/lighthouse.ts) reports performance, a timing
 * figure that a busy machine moves by several points and so is no test's to assert.
 */
export const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The screens a customer lands on: sign-in, then (signed in) their claims and the new-claim form. */
export const CUSTOMER_SCREENS = [
  { name: 'customer-sign-in', hash: '#/signin', signedIn: false },
  { name: 'customer-claims', hash: '#/claims', signedIn: true },
  { name: 'customer-new-claim', hash: '#/claims/new', signedIn: true },
] as const;

export interface Audit {
  /** Each category's median over the runs. */
  scores: Partial<Record<Category, number>>;
  /** Every run's scores, in order. */
  runs: Partial<Record<Category, number>>[];
  /** Audits scoring under 0.9 in any run, with what Lighthouse says of them. */
  failing: string[];
}

export interface LighthouseSession {
  /** Audits `url` `runs` times in the session's tab (a signed-in session is kept). */
  audit(url: string, categories: readonly Category[], runs: number): Promise<Audit>;
  /** Signs `username` in on the customer app's sign-in screen and waits for their claims. */
  signIn(webUrl: string, username: string): Promise<void>;
  close(): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function openLighthouse(): Promise<LighthouseSession> {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: [...CHROMIUM_FLAGS, '--lang=vi-VN'],
  });
  let browser: Browser | undefined;
  let page: Page;
  try {
    browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    page = await browser.newPage();
  } catch (e) {
    chrome.kill();
    throw e;
  }

  async function auditOnce(url: string, categories: readonly Category[]) {
    const run = await navigation(page, url, {
      flags: { logLevel: 'error', onlyCategories: [...categories], disableStorageReset: true },
    });
    if (!run) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (run.lhr.runtimeError)
      throw new Error(`Lighthouse could not audit ${url}: ${run.lhr.runtimeError.message}`);
    // The audit is worthless if the app sent the browser elsewhere (e.g. back to sign-in).
    if (run.lhr.finalDisplayedUrl !== url)
      throw new Error(`Lighthouse audited ${run.lhr.finalDisplayedUrl}, not ${url}`);
    const scores = Object.fromEntries(
      categories.map((c) => [c, Math.round((run.lhr.categories[c]?.score ?? 0) * 100)]),
    ) as Partial<Record<Category, number>>;
    const failing = Object.values(run.lhr.audits)
      .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative')
      .map((a) => `${a.id}: ${a.displayValue ?? a.score}`);
    return { scores, failing };
  }

  return {
    async audit(url, categories, runs) {
      const done: Awaited<ReturnType<typeof auditOnce>>[] = [];
      for (let i = 0; i < runs; i++) done.push(await auditOnce(url, categories));
      return {
        scores: Object.fromEntries(
          categories.map((c) => [c, median(done.map((r) => r.scores[c] ?? 0))]),
        ) as Partial<Record<Category, number>>,
        runs: done.map((r) => r.scores),
        failing: [...new Set(done.flatMap((r) => r.failing))],
      };
    },
    async signIn(webUrl, username) {
      await page.goto(`${webUrl}#/signin`);
      const field = await page.waitForSelector('input[autocomplete=username], input[name=username]');
      await field!.type(username);
      await page.click('form button[type=submit]');
      await page.waitForFunction(() => location.hash === '#/claims');
    },
    async close() {
      await browser?.disconnect();
      chrome.kill();
    },
  };
}
