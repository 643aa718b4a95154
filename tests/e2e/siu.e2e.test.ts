import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import { formatClaimNumber } from '../../lambdas/core/claim-number.ts';
import { businessDate } from '../../lambdas/core/time.ts';
import { makeClaim, makeClaimRequest, makePolicy } from '../helpers/factories.ts';
import { type Api, apiAs, eventually } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, rawCodes, shot } from './helpers/browser.ts';
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

async function file(api: Api, policyNumber: string, hours: number, amount = 3_000_000, lossAt?: string) {
  const r = await api.post(
    '/claims',
    makeClaimRequest({
      policyNumber,
      lossAt: lossAt ?? new Date(Date.now() - hours * 3_600_000).toISOString(),
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
    // 05:00 Vietnam time on day 15 of the policy, whatever the hour the test runs.
    const start = Date.parse(`${businessDate(new Date(Date.now() - 16 * DAY))}T00:00:00+07:00`);
    const dayFifteen = new Date(start + 15 * DAY + 5 * 3_600_000).toISOString();
    const main = await file(an, await policy('CUS-0001', 'Nguyễn Văn An', 16, 10), 0, 9_800_000, dayFifteen);
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

    // The score explains itself: the factors that moved it, in words, with the claim's own values.
    const panel = staff.locator('.fraud-panel');
    expect(await panel.getAttribute('data-standing')).toBe('referred');
    const factors = panel.locator('.fraud-factors li');
    await factors.first().waitFor();
    const claim = (await hai.get(`/claims/${main.claimId}`)).body as {
      fraud: { contributions: { feature: string; contribution: number }[] };
    };
    const moving = claim.fraud.contributions.filter((x) => x.contribution !== 0).map((x) => x.feature);
    expect(await factors.evaluateAll((els) => els.map((e) => e.getAttribute('data-feature')))).toEqual(
      [...moving].sort(
        (a, b) =>
          Math.abs(claim.fraud.contributions.find((x) => x.feature === b)!.contribution) -
          Math.abs(claim.fraud.contributions.find((x) => x.feature === a)!.contribution),
      ),
    );
    // The earliest-days factor reads as words and the claim's day count, not the model's column name.
    expect(await panel.locator('li[data-feature="Days_Policy_Accident"]').textContent()).toMatch(
      /hiệu lực đến khi xảy ra tổn thất: 15\b/,
    );
    expect(await rawCodes(staff)).toEqual([]);
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(staff, 'fraud-explanation', false);

    // A claim with nothing found is not dressed as a warning.
    await staff.goto(`${stack.consoleUrl}#/claims/${other.claimId}`);
    await staff.locator('.fraud-panel[data-standing="clear"]').waitFor();
    expect(await staff.locator('.fraud-panel').textContent()).not.toContain('⚠');
  }, 180_000);

  it('finds paid claims for a retrospective review and downloads the training CSV', async () => {
    // Two paid claims stored as the workflow leaves them: one fire claim with a red flag and a
    // high score, paid yesterday; one motor claim without flags.
    const yesterday = new Date(Date.now() - DAY);
    const paid = async (productCode: Claim['productCode'], score: number, flags: string[]) => {
      const base = makeClaim();
      const claim = makeClaim({
        claimId: randomUUID().replaceAll('-', '').slice(0, 26),
        claimNumber: formatClaimNumber(2097, Math.floor(Math.random() * 1_000_000)),
        productCode,
        status: 'PAID',
        submittedAt: new Date(Date.now() - 20 * DAY).toISOString(),
        updatedAt: yesterday.toISOString(),
        payment: {
          amount: { amount: 12_000_000, currency: 'VND' },
          queuedAt: yesterday.toISOString(),
          paidAt: yesterday.toISOString(),
        },
        fraud: { score } as Claim['fraud'],
        fraudIndicators: flags.map((code) => ({ code, weight: 1 })),
        report: { ...base.report, contact: { phone: '0912000999', email: 'paid@example.vn' } },
      });
      await createClaim(claim, []);
      return claim;
    };
    const fire = await paid('PROPERTY_FIRE', 0.71, ['ROUND_AMOUNT']);
    const motor = await paid('MOTOR_OD', 0.05, []);

    const nam = await signIn('nam.ly');
    await nam.locator('a[href="#/siu"]').click();
    await nam.locator('[role="tab"]', { hasText: 'Hồ sơ đã chi trả' }).click();
    const form = nam.locator('form.siu-paid-filters');
    await form.locator('select[name="product"]').selectOption('PROPERTY_FIRE');
    await form.locator('input[name="paidFrom"]').fill(businessDate(yesterday));
    await form.locator('input[name="paidTo"]').fill(businessDate(yesterday));
    await form.locator('input[name="minScore"]').fill('0.5');
    await form.locator('input[name="flagged"]').check();
    await form.getByRole('button', { name: 'Tìm' }).click();
    const row = nam.locator(`tr[data-paid-claim="${fire.claimNumber}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Số tiền tròn');
    expect(await row.textContent()).toContain('0.710');
    expect(await row.locator('a').getAttribute('href')).toBe(`#/claims/${fire.claimId}`);
    expect(await nam.locator(`tr[data-paid-claim="${motor.claimNumber}"]`).count()).toBe(0);
    for (const r of await nam.locator('tr[data-paid-claim]').all())
      expect(await r.textContent()).toContain('Bảo hiểm cháy, nổ và tài sản');
    await shot(nam, 'siu-paid-review');

    // Without filters but "no red flags": the motor claim, not the fire one.
    await form.locator('select[name="product"]').selectOption('');
    await form.locator('input[name="minScore"]').fill('');
    await form.locator('input[name="flagged"]').uncheck();
    await form.getByRole('button', { name: 'Tìm' }).click();
    await nam.locator(`tr[data-paid-claim="${motor.claimNumber}"]`).waitFor();

    // The training export: a CSV saved under a dated name, in the format fraud:train reads.
    const [download] = await Promise.all([
      nam.waitForEvent('download'),
      nam.locator('[data-action="siu-export"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^siu-labelled-claims-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]?.split(',')).toEqual(
      expect.arrayContaining(['ClaimNumber', 'Days_Policy_Accident', 'FraudFound_P']),
    );
    await nam.locator('.siu-export [role="status"]').waitFor();

    // The same page in English.
    await nam.getByRole('button', { name: 'EN', exact: true }).click();
    await expect
      .poll(async () => nam.locator('.siu-page [role="tab"]').allTextContents())
      .toEqual(['Referred', 'Under investigation', 'Closed', 'Paid claims']);
    expect(await nam.locator('[data-action="siu-export"]').textContent()).toBe(
      'Download training data (CSV)',
    );
    expect(await nam.locator('.siu-paid-filters').textContent()).toContain('Only claims with red flags');
  }, 120_000);
});
