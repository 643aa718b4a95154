import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, fileClaim, motorReport, waitForWaiting } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The payout account on the console's claim page: masked for everyone; finance reveals the full
 * number with one click, and the reveal shows up on the claim's timeline.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
const pages: Page[] = [];

async function signIn(username: string): Promise<Page> {
  const { page } = await browser.newPage();
  pages.push(page);
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  return page;
}

/** Opens a claim afresh (a hash-only navigation to the URL already shown would not reload it). */
async function openClaim(page: Page, claimId: string) {
  const url = `${stack.consoleUrl}#/claims/${claimId}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.waitForSelector(`.claim-page[data-claim-id="${claimId}"]`);
}

const reportText = (page: Page) => page.locator('[aria-labelledby="report-title"]').textContent();

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, page] of pages.entries())
    await shot(page, `failed-payout-account-${i}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('payout account in the console', () => {
  it('is masked for an adjuster, with no way to reveal it', async () => {
    const claim = await fileClaim(
      an,
      motorReport({ amount: 9_000_000, daysAgo: 2, cause: 'glass_breakage' }),
    );
    await waitForWaiting(hai, claim.claimId, 'assessment');
    const dung = await signIn('dung.pham');
    await openClaim(dung, claim.claimId);
    await expect.poll(() => reportText(dung)).toContain('Vietcombank · •••• 5667 · Nguyễn Văn An');
    expect(await reportText(dung)).not.toContain('0011004455667');
    expect(await dung.getByTestId('reveal-account').count()).toBe(0);

    // Finance reveals it; the reveal is on the timeline.
    const minh = await signIn('minh.dang');
    await openClaim(minh, claim.claimId);
    await expect.poll(() => reportText(minh)).toContain('•••• 5667');
    await minh.getByTestId('reveal-account').click();
    await expect.poll(() => reportText(minh)).toContain('Vietcombank · 0011004455667 · Nguyễn Văn An');
    await shot(minh, 'console-payout-account-revealed');
    await openClaim(minh, claim.claimId);
    await expect
      .poll(() => minh.locator('.timeline-item[data-event="PayoutAccountRevealed"]').count())
      .toBe(1);
    // Reloaded, the screen is masked again.
    expect(await reportText(minh)).not.toContain('0011004455667');
    expect(browser.errors).toEqual([]);
  });
});
