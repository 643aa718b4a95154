import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  apiAs,
  eventually,
  type FiledClaim,
  fileClaim,
  MOTOR_DOCUMENTS,
  motorReport,
  uploadDocuments,
  waitForWaiting,
} from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { businessDate } from '../../lambdas/core/time.ts';
import { makePolicy } from '../helpers/factories.ts';

const DAY = 86_400_000;

/**
 * A motor own-damage policy of an.nguyen's for one claim, covering explosion: two claims on one policy
 * with losses within three days of each other are possible duplicates, and go to a person.
 */
async function ownPolicy(): Promise<string> {
  const policyNumber = `MOT-FIN-${randomUUID().slice(0, 8)}`;
  const od = makePolicy().covers[0]!;
  await putPolicy(
    makePolicy({
      policyNumber,
      effectiveFrom: `${businessDate(new Date(Date.now() - 200 * DAY))}T00:00:00+07:00`,
      effectiveTo: `${businessDate(new Date(Date.now() + 200 * DAY))}T23:59:59+07:00`,
      covers: [{ ...od, causes: [...od.causes, 'explosion'] }],
    }),
  );
  return policyNumber;
}

/**
 * Paying claims through the bank, in the console: one finance user prepares a batch, a second one
 * releases and downloads it, the bank's confirmation is imported, and the claims are PAID — the
 * customer sees it in their app. The claims are settled straight through (set up over the API).
 */
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
let dir: string;
const claims: (FiledClaim & { amount: number })[] = [];
/** A compulsory motor TPL claim with an advance approved before its decision (paid in the same batch). */
let advanced: FiledClaim;
const ADVANCE = 4_000_000;

async function consoleAs(username: string): Promise<Page> {
  const { page } = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  return page;
}

async function openFinance(page: Page) {
  await page.getByRole('link', { name: 'Chi trả' }).click();
  await page.waitForURL(/#\/finance$/);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Chi trả bồi thường qua ngân hàng');
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  dir = await mkdtemp(path.join(tmpdir(), 'claims-finance-e2e-'));
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
  for (const daysAgo of [1, 2]) {
    const claim = await fileClaim(an, {
      ...motorReport({ amount: 6_000_000, daysAgo, cause: 'explosion' }),
      policyNumber: await ownPolicy(),
    });
    // Straight-through pays on the invoice total declared with the repair invoice.
    await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS, { repair_invoice: 6_000_000 });
    const c = await waitForWaiting(hai, claim.claimId, 'payment', 30_000);
    expect(c.status).toBe('PAYMENT_QUEUED');
    claims.push({ ...claim, amount: c.payment.amount.amount });
  }
  // The advance: hai assigns the TPL claim to dung, who approves 4 million before the decision.
  advanced = await fileClaim(an, {
    ...motorReport({ amount: 30_000_000, daysAgo: 1, cause: 'third_party_property' }),
    policyNumber: 'TPL-2026-0001',
  });
  const parked = await waitForWaiting(hai, advanced.claimId, 'assessment', 30_000);
  const dung = await apiAs(stack.apiUrl, 'dung.pham');
  const dungId = (await dung.get('/me')).body.userId as string;
  const assigned = await hai.post(`/claims/${advanced.claimId}/assignment`, {
    expectedVersion: parked.version,
    staffId: dungId,
    reason: 'Tạm ứng cho bên thứ ba',
  });
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  const ok = await dung.post(`/claims/${advanced.claimId}/advance-payment`, {
    expectedVersion: assigned.body.version,
    amount: ADVANCE,
    note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
  });
  expect(ok.status, JSON.stringify(ok.body)).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('finance in the console', () => {
  let batchId = '';

  it('finance prepares a batch of what awaits payment; the maker cannot release it', async () => {
    const minh = await consoleAs('minh.dang');
    await openFinance(minh);
    for (const c of claims) await minh.locator(`[data-payout="${c.claimNumber}"]`).waitFor();
    // Screens show the account's last digits only.
    expect(await minh.locator(`[data-payout="${claims[0]!.claimNumber}"]`).textContent()).toContain(
      '•••• 5667',
    );

    await minh.getByRole('button', { name: 'Lập lô chi' }).click();
    const row = minh.locator('[data-batch][data-status="prepared"]').first();
    await row.waitFor({ timeout: 20_000 });
    batchId = (await row.getAttribute('data-batch')) ?? '';
    expect(batchId).toMatch(/^PB-\d{8}-[0-9a-f]{12}$/);
    expect(await row.textContent()).toContain('Người lập không tự duyệt');
    expect(await row.getByRole('button', { name: 'Duyệt chi' }).count()).toBe(0);
    await expect.poll(() => minh.locator('[data-payout]').count()).toBe(0);
    await shot(minh, 'finance-prepared');
  });

  it('a second finance user releases it and downloads the bank file', async () => {
    const oanh = await consoleAs('oanh.vu');
    await openFinance(oanh);
    const row = oanh.locator(`[data-batch="${batchId}"]`);
    await row.getByRole('button', { name: 'Duyệt chi' }).click();
    await oanh.locator(`[data-batch="${batchId}"][data-status="released"]`).waitFor();
    await row.getByRole('button', { name: 'Lấy đường dẫn tải' }).click();
    const csvUrl = await row.locator('a[data-format="csv"]').getAttribute('href');
    const xlsxUrl = await row.locator('a[data-format="xlsx"]').getAttribute('href');
    const csv = await (await fetch(csvUrl ?? '')).text();
    for (const c of claims) {
      expect(csv).toContain(
        `NGUYEN VAN AN,0011004455667,VIETCOMBANK,${c.amount},BOI THUONG HO SO ${c.claimNumber}`,
      );
    }
    const xlsx = Buffer.from(await (await fetch(xlsxUrl ?? '')).arrayBuffer());
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    await shot(oanh, 'finance-released');
  });

  it("finance imports the bank's confirmation and the claims are paid", async () => {
    const file = path.join(dir, 'vietcombank-xac-nhan.csv');
    await writeFile(
      file,
      [
        'Ma tham chieu,So tien,Trang thai,Ly do,So giao dich',
        ...claims.map((c, i) => `${c.claimNumber},${c.amount},THANH CONG,,FT26${i}`),
        `${advanced.claimNumber}-TU1,${ADVANCE},THANH CONG,,FT26TU1`,
      ].join('\n'),
    );
    const minh = await consoleAs('minh.dang');
    await openFinance(minh);
    await minh.locator('input[name="confirmation"]').setInputFiles(file);
    await minh.getByRole('button', { name: 'Nhập và đối soát' }).click();
    const result = minh.locator('[data-recon-result]');
    await result.waitFor();
    expect(await result.locator('[data-outcome="paid"]').count()).toBe(3);
    expect(await result.textContent()).toContain('3 dòng: 3 đã chi, 0 bị từ chối, 0 không khớp');
    await expect
      .poll(async () => (await minh.locator(`[data-batch="${batchId}"]`).textContent()) ?? '')
      .toContain('3 đã chi');
    await shot(minh, 'finance-reconciled');

    // The claim file shows it paid (the workflow recorded PAID).
    for (const c of claims) {
      await eventually(`claim ${c.claimNumber} paid`, async () => {
        const r = await hai.get(`/claims/${c.claimId}`);
        return r.body.status === 'PAID' ? r.body : undefined;
      });
    }
    await minh.goto(`${stack.consoleUrl}#/claims/${claims[0]!.claimId}`);
    await minh.locator('.claim-page [data-status="PAID"]').first().waitFor();
  });

  it('the customer sees the claim paid', async () => {
    const { page } = await browser.newPage();
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    await page.goto(`${stack.webUrl}#/claims/${claims[0]!.claimId}`);
    const badge = page.locator('[data-status="PAID"]').first();
    await badge.waitFor();
    expect(await badge.textContent()).toBe('Đã thanh toán');
    await expect
      .poll(async () => (await page.locator('main').textContent()) ?? '')
      .toContain('Đã thanh toán bồi thường');
    // The payments card: the transfer, and the day the bank confirmed it.
    const transfer = page.locator('.payments-card [data-part="transfer"]');
    await transfer.waitFor();
    expect(await transfer.getAttribute('data-paid')).toBe('yes');
    const paidText = (await transfer.textContent()) ?? '';
    expect(paidText).toContain('Số tiền chuyển khoản');
    expect(paidText).toContain('đã chuyển khoản ngày');
    expect(paidText.replace(/\s/g, ' ')).toContain(`${claims[0]!.amount.toLocaleString('vi-VN')}`);
    await shot(page, 'finance-customer-paid');

    // The TPL claim: its advance transferred, the claim itself still being assessed.
    await page.goto(`${stack.webUrl}#/claims/${advanced.claimId}`);
    const advance = page.locator('.payments-card [data-advance="1"]');
    await advance.waitFor();
    await expect.poll(() => advance.getAttribute('data-paid')).toBe('yes');
    const advanceText = (await advance.textContent()) ?? '';
    expect(advanceText).toContain('Tạm ứng lần 1');
    expect(advanceText).toContain('đã chuyển khoản ngày');
    expect(advanceText).toContain((4_000_000).toLocaleString('vi-VN'));
    expect(await page.locator('.payments-card [data-part="transfer"]').count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });

  it('a rejection one finance user imports returns its payout only when a second one confirms it', async () => {
    const claim = await fileClaim(an, {
      ...motorReport({ amount: 6_000_000, daysAgo: 3, cause: 'explosion' }),
      policyNumber: await ownPolicy(),
    });
    await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS, { repair_invoice: 6_000_000 });
    const queued = await waitForWaiting(hai, claim.claimId, 'payment', 30_000);
    const [minhApi, oanhApi] = await Promise.all([
      apiAs(stack.apiUrl, 'minh.dang'),
      apiAs(stack.apiUrl, 'oanh.vu'),
    ]);
    const batch = await minhApi.post(
      '/finance/batches',
      { cutoff: new Date().toISOString() },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect((await oanhApi.post(`/finance/batches/${batch.body.batchId}/release`, {})).status).toBe(200);

    // minh imports the bank's word that the transfer failed: reported, awaiting a second person.
    const file = path.join(dir, 'vietcombank-that-bai.csv');
    await writeFile(
      file,
      [
        'Ma tham chieu,So tien,Trang thai,Ly do',
        `${claim.claimNumber},${queued.payment.amount.amount},THAT BAI,Sai ten nguoi thu huong`,
      ].join('\n'),
    );
    const minh = await consoleAs('minh.dang');
    await openFinance(minh);
    await minh.locator('input[name="confirmation"]').setInputFiles(file);
    await minh.getByRole('button', { name: 'Nhập và đối soát' }).click();
    const result = minh.locator('[data-recon-result]');
    await result.waitFor();
    const reconId = (await result.getAttribute('data-recon-result')) ?? '';
    await result.locator('[data-returns-awaiting="1"]').waitFor();
    expect(await result.textContent()).toContain('do minh.dang báo, chờ người thứ hai');
    const mine = minh.locator(`[data-recon="${reconId}"]`);
    await mine.waitFor();
    expect(await mine.locator('[data-action="confirm-returns"]').count()).toBe(0);
    expect(await minh.locator(`[data-payout="${claim.claimNumber}"]`).count()).toBe(0);

    // oanh confirms: the payout is back in the awaiting list.
    const oanh = await consoleAs('oanh.vu');
    await openFinance(oanh);
    await oanh.locator(`[data-recon="${reconId}"] [data-action="confirm-returns"]`).click();
    await oanh.locator(`[data-recon="${reconId}"] [data-returns-confirmed="1"]`).waitFor();
    await oanh.locator(`[data-payout="${claim.claimNumber}"]`).waitFor();
  });
});
