import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, eventually, fileClaim, motorReport } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * Finding a claim in the staff console: a supervisor types a plate the way a caller reads it out,
 * finds the claim (whatever its status), opens it and sees the policy's other claims.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('console search', () => {
  it('finds a claim by plate in the search box and opens it, with the policy history', async () => {
    const plate = `30K-${randomInt(100, 999)}.${randomInt(10, 99)}`;
    const earlier = await fileClaim(an, {
      ...motorReport({ amount: 4_000_000, daysAgo: 20, cause: 'flood' }),
    });
    const claim = await fileClaim(an, {
      ...motorReport({ amount: 7_500_000, daysAgo: 2 }),
      facts: { kind: 'motor', vehiclePlate: plate, policeAttended: false },
    });
    // Let the workflow's first steps settle so the page shows a stable status.
    await eventually('the intake steps', async () => {
      const r = await hai.get(`/claims/${claim.claimId}`);
      return r.body.status !== 'SUBMITTED' ? r.body : undefined;
    });

    const { page } = await browser.newPage();
    await page.goto(stack.consoleUrl);
    await page.waitForURL(/#\/signin$/);
    await page.locator('[data-username="hai.do"]').click();
    await page.waitForURL(/#\/queue/);

    // Typed the way it is read out on the phone: lower case, spaces instead of dash and dot.
    await page
      .getByRole('searchbox', { name: 'Tìm hồ sơ (mọi trạng thái)' })
      .fill(plate.toLowerCase().replace(/[-.]/g, ' '));
    await page.getByLabel('Tìm theo').selectOption('plate');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await page.waitForURL(/#\/queue\?.*q=/);
    // The new claim is in the ordinary queue too, which stays on screen under the search title
    // until the search answers: wait for the answer itself (its title names how it searched).
    await expect
      .poll(() => page.locator('.search-title').textContent(), { timeout: 10_000 })
      .toContain('Biển số xe');
    const row = page.locator(`.queue-row[data-claim-number="${claim.claimNumber}"]`);
    await row.waitFor();
    await expect.poll(() => page.locator('.queue-row').count(), { timeout: 10_000 }).toBe(1);
    await shot(page, 'console-search-plate');

    await row.locator('a.claim-link').click();
    await page.waitForSelector(`.claim-page[data-claim-id="${claim.claimId}"]`);
    const history = page.locator('.policy-history');
    await history.locator(`[data-claim-number="${earlier.claimNumber}"]`).waitFor();
    expect(await history.locator(`[data-claim-number="${claim.claimNumber}"]`).count()).toBe(0);
    await shot(page, 'console-search-opened');
  });
});
