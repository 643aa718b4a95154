import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../../local/demo-data.ts';
import { formatMoney } from '../../lambdas/core/money.ts';
import { type Api, apiAs, fileClaim, motorReport, waitForStatus, waitForWaiting } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * Issue 7 in the console: the decision form has no default outcome and confirms with the amount; a
 * supervisor's waiver of a missing document is on record and shown to whoever approves.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
let dung: Api;
const pages = new Map<string, Page>();

const vnd = (amount: number) => formatMoney({ amount, currency: 'VND' }, 'vi');
const notice = (page: Page) => page.locator('[data-notice]').textContent();
const statusOf = (page: Page) => page.locator('.claim-page').getAttribute('data-status');

async function as(username: string): Promise<Page> {
  const existing = pages.get(username);
  if (existing) return existing;
  const { page } = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  pages.set(username, page);
  return page;
}

async function openClaim(page: Page, claimId: string) {
  const url = `${stack.consoleUrl}#/claims/${claimId}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.waitForSelector(`.claim-page[data-claim-id="${claimId}"]`);
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  [an, hai, dung] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'hai.do'),
    apiAs(stack.apiUrl, 'dung.pham'),
  ]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [user, page] of pages) await shot(page, `controls-failed-${user}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('approval controls in the console', () => {
  it('a waiver is visible to the approver; the decision has no default and is confirmed with its amount', async () => {
    const claim = await fileClaim(an, motorReport({ amount: 30_000_000, daysAgo: 6, cause: 'vandalism' }));
    let c = await waitForWaiting(hai, claim.claimId, 'assessment');
    if (c.assignee?.staffId !== userIdFor('dung.pham')) {
      const r = await hai.post(`/claims/${claim.claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: userIdFor('dung.pham'),
        reason: 'e2e setup',
      });
      expect(r.status).toBe(200);
    }
    c = (await dung.get(`/claims/${claim.claimId}`)).body;
    const assessed = await dung.post(`/claims/${claim.claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        { description: 'Sơn lại cửa sau', coverCode: 'OD', assessedAmount: 30_000_000, kind: 'repair' },
      ],
      marketValue: 650_000_000,
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const payable = assessed.body.assessment.payable.amount as number;
    const missing = (await dung.get(`/claims/${claim.claimId}`)).body.missingDocuments as string[];
    expect(missing.length).toBeGreaterThan(1);

    // The adjuster sees what is missing; approving now is refused with the list.
    const adj = await as('dung.pham');
    await openClaim(adj, claim.claimId);
    expect(await adj.locator('.controls-missing').textContent()).toContain('Giấy đăng ký xe');
    await adj.getByRole('tab', { name: 'Quyết định', exact: true }).click();
    await adj.getByLabel('Chấp thuận', { exact: true }).check();
    await adj.getByRole('button', { name: 'Gửi quyết định' }).click();
    await adj.locator('.confirm-box').getByRole('button', { name: 'Xác nhận' }).click();
    await expect
      .poll(() => adj.locator('.banner-error').first().textContent())
      .toContain('Chưa đủ hồ sơ bắt buộc');
    expect(await statusOf(adj)).toBe('ASSESSED');

    // The supervisor waives the first missing document in the console, the rest through the API.
    const sup = await as('hai.do');
    await openClaim(sup, claim.claimId);
    await sup.getByRole('tab', { name: 'Miễn trừ tài liệu', exact: true }).click();
    await sup.getByLabel('Tài liệu được miễn trừ').selectOption(missing[0]!);
    const reason = 'Đã đối chiếu bản gốc tại buổi giám định hiện trường.';
    await sup.getByLabel('Lý do miễn trừ (ghi vào nhật ký)').fill(reason);
    await sup.getByRole('button', { name: 'Miễn trừ tài liệu', exact: true }).click();
    await expect.poll(() => notice(sup)).toContain('Đã ghi nhận miễn trừ tài liệu');
    for (const docType of missing.slice(1)) {
      const now = (await hai.get(`/claims/${claim.claimId}`)).body;
      const w = await hai.post(`/claims/${claim.claimId}/waivers`, {
        expectedVersion: now.version,
        docType,
        reason: 'Khách hàng đã xuất trình bản gốc tại văn phòng.',
      });
      expect(w.status, JSON.stringify(w.body)).toBe(201);
    }

    // The approver sees every waiver, with its reason and who gave it.
    await openClaim(adj, claim.claimId);
    expect(await adj.locator('.controls-complete').count()).toBe(1);
    expect(await adj.locator('.controls-waivers .waiver').count()).toBe(missing.length);
    const first = adj.locator(`.controls-waivers .waiver[data-doc-type="${missing[0]}"]`);
    expect(await first.textContent()).toContain(reason);
    expect(await first.textContent()).toContain('Đỗ Minh Hải');
    await shot(adj, 'console-waivers-visible');

    // No outcome is chosen for the adjuster; submitting without one sends nothing.
    await adj.getByRole('tab', { name: 'Quyết định', exact: true }).click();
    for (const label of ['Chấp thuận', 'Chấp thuận một phần', 'Từ chối'])
      expect(await adj.getByLabel(label, { exact: true }).isChecked()).toBe(false);
    await adj.getByRole('button', { name: 'Gửi quyết định' }).click();
    expect(await adj.locator('#f-outcome-error').textContent()).toBe('Chọn một kết luận');
    expect(await adj.locator('.confirm-box').count()).toBe(0);

    // Approving asks for a confirmation stating the amount; going back sends nothing.
    await adj.getByLabel('Chấp thuận', { exact: true }).check();
    await adj.getByRole('button', { name: 'Gửi quyết định' }).click();
    expect(await adj.locator('.confirm-box .confirm-text').textContent()).toBe(
      `Chấp thuận chi trả ${vnd(payable)}?`,
    );
    await shot(adj, 'console-decision-confirm');
    await adj.locator('.confirm-box').getByRole('button', { name: 'Quay lại' }).click();
    expect(await adj.locator('.confirm-box').count()).toBe(0);
    expect((await dung.get(`/claims/${claim.claimId}`)).body.status).toBe('ASSESSED');

    await adj.getByRole('button', { name: 'Gửi quyết định' }).click();
    await adj.locator('.confirm-box').getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => notice(adj)).toContain('Quyết định đã có hiệu lực');
    await waitForStatus(hai, claim.claimId, ['PAYMENT_QUEUED', 'PAID'], 30_000);
    expect(browser.errors).toEqual([]);
  });

  it('a contact typed in by staff gets no mail until the customer confirms it in the app', async () => {
    const other = `an.khac.${Date.now()}@example.vn`;
    const report = {
      ...motorReport({ amount: 12_000_000, daysAgo: 8, cause: 'storm' }),
      contact: { phone: '0912345678', email: other },
    };
    const filed = await hai.post(
      '/staff/claims',
      { customerId: 'CUS-0001', report },
      {
        'Idempotency-Key': `e2e-contact-${Date.now()}`,
      },
    );
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const claimId = filed.body.claimId as string;
    await waitForWaiting(hai, claimId, 'assessment');

    const { page: cust } = await browser.newPage();
    await cust.goto(stack.webUrl);
    await cust.waitForURL(/#\/signin$/);
    await cust.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await cust.locator('form button[type=submit]').click();
    await cust.waitForURL(/#\/claims$/);
    await cust.goto(`${stack.webUrl}#/claims/${claimId}`);
    const card = cust.locator('.contact-confirm-card');
    await card.waitFor();
    expect(await card.textContent()).toContain(other);
    expect(await card.textContent()).toContain('an.nguyen@example.vn');
    await card.getByRole('button', { name: 'Đây là liên hệ của tôi' }).click();
    await expect.poll(() => cust.locator('.contact-confirm-card').count()).toBe(0);
    expect((await an.get(`/claims/${claimId}`)).body.contactCheck.status).toBe('confirmed');
    expect(browser.errors).toEqual([]);
  });
});
