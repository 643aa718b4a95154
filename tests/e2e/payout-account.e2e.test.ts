import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Api, apiAs, fileClaim, motorReport, waitForWaiting } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';
import { userIdFor } from '../../local/demo-data.ts';

/**
 * The payout account on the console's claim page: masked for everyone; finance reveals the full
 * number with one click, and the reveal shows up on the claim's timeline. One staff typed in waits
 * for the customer, who confirms it in her app.
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

  it('typed in by staff waits for the customer: held on the console, with a phone check for another supervisor; she confirms it in the app', async () => {
    const dung = await apiAs(stack.apiUrl, 'dung.pham');
    const filed = await dung.post(
      '/staff/claims',
      {
        customerId: 'CUS-0001',
        report: {
          ...motorReport({ amount: 11_300_000, daysAgo: 4, cause: 'flood' }),
          payoutAccount: {
            bankName: 'Sacombank',
            accountNumber: '060112348821',
            accountHolder: 'Nguyễn Văn An',
          },
        },
      },
      { 'Idempotency-Key': `e2e-typed-account-${Date.now()}` },
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const claimId = filed.body.claimId as string;
    const c = await waitForWaiting(hai, claimId, 'assessment');
    // Handled by someone other than hai, who may then verify it (he neither filed nor handles it).
    if (c.assignee?.staffId !== userIdFor('giang.hoang')) {
      const r = await hai.post(`/claims/${claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: userIdFor('giang.hoang'),
        reason: 'Kiểm thử',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }

    const sup = await signIn('hai.do');
    await openClaim(sup, claimId);
    const held = sup.locator('.payout-check[data-payout-check="unconfirmed"]');
    await held.waitFor();
    expect(await held.textContent()).toContain('Phạm Văn Dũng');
    expect(await held.textContent()).toContain('0912345678');
    await sup.getByRole('tab', { name: 'Xác minh tài khoản nhận tiền' }).click();
    expect(await sup.locator('#action-panel').textContent()).toContain('Sacombank •••• 8821');
    await shot(sup, 'console-payout-account-unconfirmed');

    const { page: cust } = await browser.newPage();
    pages.push(cust);
    await cust.goto(stack.webUrl);
    await cust.waitForURL(/#\/signin$/);
    await cust.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await cust.locator('form button[type=submit]').click();
    await cust.waitForURL(/#\/claims$/);
    await cust.goto(`${stack.webUrl}#/claims/${claimId}`);
    const card = cust.locator('.payout-account-card');
    const ok = card.getByRole('button', { name: 'Đây là tài khoản của tôi' });
    await ok.waitFor();
    expect(await card.textContent()).toContain('Sacombank · •••• 8821');
    await shot(cust, 'customer-payout-account-typed-by-staff');
    await ok.click();
    await expect.poll(() => ok.count()).toBe(0);
    expect((await hai.get(`/claims/${claimId}`)).body.payoutAccountCheck).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'customer',
    });

    await openClaim(sup, claimId);
    await sup.locator('.payout-check[data-payout-check="customer"]').waitFor();
    expect(await sup.getByRole('tab', { name: 'Xác minh tài khoản nhận tiền' }).count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });
});
