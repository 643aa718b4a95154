import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { businessDate } from '../../lambdas/core/time.ts';
import { makeClaimRequest, makePolicy } from '../helpers/factories.ts';
import { type Api, apiAs, eventually } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * Issue 9 in the console: a claim referred on its red flags is in the SIU queue with its reasons and
 * score, the SIU starts an investigation there, and the claim page shows the claim's links to
 * another customer's claim (the same phone, email, account and plate).
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let binh: Api;
let hai: Api;
const pages: Page[] = [];
const DAY = 86_400_000;

async function policy(customerId: string, holderName: string, startDays: number, endDays: number) {
  const policyNumber = `MOT-SIU-${randomUUID().slice(0, 8)}`;
  await putPolicy(
    makePolicy({
      policyNumber,
      customerId,
      holderName,
      effectiveFrom: `${businessDate(new Date(Date.now() - startDays * DAY))}T00:00:00+07:00`,
      effectiveTo: `${businessDate(new Date(Date.now() + endDays * DAY))}T23:59:59+07:00`,
    }),
  );
  return policyNumber;
}

async function file(api: Api, policyNumber: string, hours: number, amount = 3_000_000) {
  const r = await api.post(
    '/claims',
    makeClaimRequest({
      policyNumber,
      lossAt: new Date(Date.now() - hours * 3_600_000).toISOString(),
      estimatedAmount: { amount, currency: 'VND' },
    }),
    { 'idempotency-key': randomUUID() },
  );
  if (r.status !== 201) throw new Error(`filing failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { claimId: string; claimNumber: string };
}

const scored = (claimId: string, ready: (c: any) => boolean = (c) => c.fraud !== undefined) =>
  eventually(
    `claim ${claimId} scored`,
    async () => {
      const r = await hai.get(`/claims/${claimId}`);
      return r.status === 200 && ready(r.body) ? r.body : undefined;
    },
    20_000,
  );

async function signIn(username: string): Promise<Page> {
  const { page } = await browser.newPage();
  pages.push(page);
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  return page;
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  [an, binh, hai] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'binh.tran'),
    apiAs(stack.apiUrl, 'hai.do'),
  ]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, page] of pages.entries()) await shot(page, `siu-failed-${i}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('SIU in the console', () => {
  it('shows the referral in the SIU queue, starts the investigation, and draws the claim’s links', async () => {
    // Another customer files with the same contact, account and plate first.
    const other = await file(binh, await policy('CUS-0002', 'Trần Thị Bình', 200, 200), 6);
    await scored(other.claimId);
    // Two earlier claims of an.nguyen's, then one on day 15 of a policy ending in 10 days, just under the limit.
    for (const h of [30, 40])
      await scored((await file(an, await policy('CUS-0001', 'Nguyễn Văn An', 200, 200), h)).claimId);
    const main = await file(an, await policy('CUS-0001', 'Nguyễn Văn An', 15, 10), 2, 9_800_000);
    await scored(main.claimId, (c) => c.siu?.status === 'referred');

    const nam = await signIn('nam.ly');
    await nam.locator('a[href="#/siu"]').click();
    const row = nam.locator(`tr[data-claim="${main.claimNumber}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/Tổn thất xảy ra 15 ngày sau ngày hợp đồng có hiệu lực/);
    expect(await row.textContent()).toContain(other.claimNumber);
    await row.locator('button').click();
    await row.waitFor({ state: 'detached' });
    await nam.locator('[role="tab"]', { hasText: 'Đang điều tra' }).click();
    await nam.locator(`tr[data-claim="${main.claimNumber}"]`).waitFor();

    const staff = await signIn('hai.do');
    await staff.goto(`${stack.consoleUrl}#/claims/${main.claimId}`);
    const network = staff.locator('.fraud-network');
    await network.waitFor();
    expect(await network.locator('li[data-link="PHONE"]').textContent()).toContain(other.claimNumber);
    expect(await network.locator('li[data-link="BANK"]').textContent()).toContain(other.claimNumber);
  }, 180_000);
});
