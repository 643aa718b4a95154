import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { pngBytes } from '../helpers/files.ts';
import {
  type Api,
  apiAs,
  eventually,
  fileClaim,
  MOTOR_DOCUMENTS,
  motorReport,
  uploadDocuments,
  waitForStatus,
  waitForWaiting,
} from './helpers/api.ts';
import { type E2eBrowser, hasHorizontalScroll, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The customer's own follow-up (issue 10) on a phone: a customer appeals a rejection with a new
 * upload, then changes their payout account (the code from the e-mail, the hold explained); the
 * handler sees the appeal and its evidence on the console's claim page.
 */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
let dung: Api;
const pages: Page[] = [];
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

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
  for (const [i, page] of pages.entries()) await shot(page, `failed-follow-up-${i}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A claim of an.nguyen with every document in, rejected by dung.pham. */
async function rejectedClaim() {
  const claim = await fileClaim(an, motorReport({ amount: 38_000_000, daysAgo: 4, cause: 'collision' }));
  await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS, { repair_invoice: 38_000_000 });
  let c = await waitForWaiting(hai, claim.claimId, 'assessment');
  const assigned = await hai.post(`/claims/${claim.claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdOf('dung.pham'),
    reason: 'Đúng địa bàn',
  });
  expect(assigned.status).toBe(200);
  c = (await dung.get(`/claims/${claim.claimId}`)).body;
  const r = await dung.post(`/claims/${claim.claimId}/decision`, {
    outcome: 'reject',
    expectedVersion: c.version,
    reasons: [{ clause: 'Điều 12.3 Quy tắc bảo hiểm xe cơ giới', text: 'Lái xe không có giấy phép hợp lệ.' }],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  await waitForStatus(an, claim.claimId, ['REJECTED']);
  return claim;
}

/** The newest confirmation code e-mailed to `to` about `claimNumber`. */
async function codeFor(to: string, claimNumber: string): Promise<string> {
  return eventually('the confirmation code e-mail', async () => {
    const store = (await (await fetch(`${stack.mailUrl}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] }; body?: { text?: string } }[];
    };
    const mail = store.emails
      .filter((m) => m.destination.to.includes(to) && m.subject.includes(claimNumber))
      .map((m) => m.body?.text?.match(/Mã xác nhận: (\d{6})/)?.[1])
      .filter(Boolean)
      .at(-1);
    return mail;
  });
}

describe("the customer's follow-up on a phone", () => {
  it('appeals a rejection with a new upload, then changes the payout account', async () => {
    const claim = await rejectedClaim();
    const { page } = await browser.newPage(PHONE);
    pages.push(page);
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    await page.goto(`${stack.webUrl}#/claims/${claim.claimId}`);

    // The appeal: the reason, then the new evidence on the reopened claim.
    const card = page.locator('.appeal-card');
    await card.waitFor();
    await card.getByRole('button', { name: 'Gửi khiếu nại' }).click();
    await expect.poll(() => card.locator('.field-error').count()).toBe(1);
    await card.getByLabel('Lý do khiếu nại').fill('Tôi có giấy phép lái xe hợp lệ, xin gửi kèm bản chụp.');
    await shot(page, 'customer-appeal-form');
    await card.getByRole('button', { name: 'Gửi khiếu nại' }).click();
    await page.locator('.appeal-card[data-appeal-status="open"]').waitFor();
    await page.locator('#f-docType').selectOption('other');
    await page.locator('#upload-file').setInputFiles({
      name: 'giay-phep-lai-xe.png',
      mimeType: 'image/png',
      buffer: pngBytes(12, 12, [30, 140, 60]),
    });
    await page.locator('.upload-job[data-state="received"]').waitFor({ timeout: 20_000 });
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'customer-appeal-filed');

    // The payout account: a new one, the hold explained, the code from the e-mail.
    const payout = page.locator('.payout-account-card');
    await payout.getByRole('button', { name: 'Đổi tài khoản nhận tiền' }).click();
    await payout.getByLabel('Ngân hàng').fill('BIDV');
    await payout.getByLabel('Số tài khoản').fill('12345678901');
    await payout.getByLabel('Chủ tài khoản').fill('NGUYEN VAN AN');
    await payout.getByRole('button', { name: 'Gửi mã xác nhận' }).click();
    await payout.locator('.payout-confirm').waitFor();
    expect(await payout.textContent()).toContain('tạm dừng chi trả');
    await shot(page, 'customer-payout-account-hold');
    const code = await codeFor('an.nguyen@example.vn', claim.claimNumber);
    await payout.getByLabel('Mã xác nhận').fill(code);
    await payout.getByRole('button', { name: 'Xác nhận tài khoản mới' }).click();
    await expect.poll(() => payout.locator('[data-payout-current]').textContent()).toContain('BIDV');
    expect(await payout.textContent()).toContain('Đã đổi tài khoản nhận tiền');
    const after = (await an.get(`/claims/${claim.claimId}`)).body;
    expect(after.paymentHold).toBeUndefined();
    expect(after.report.payoutAccount.accountMask).toContain('8901');

    // A message to the handler on the claim's thread.
    const thread = page.locator('.message-thread');
    await thread.getByLabel('Tin nhắn').fill('Tôi đã gửi bản chụp giấy phép lái xe.');
    await thread.getByRole('button', { name: 'Gửi tin nhắn' }).click();
    await thread.locator('.thread-message[data-from="customer"]').waitFor();

    // The handler sees the appeal, its reason and the new evidence, and answers on the thread.
    const { page: console } = await browser.newPage();
    pages.push(console);
    await console.goto(stack.consoleUrl);
    await console.waitForURL(/#\/signin$/);
    await console.locator('[data-username="dung.pham"]').click();
    await console.waitForURL(/#\/queue/);
    await console.goto(`${stack.consoleUrl}#/claims/${claim.claimId}`);
    const panel = console.locator('.appeal-panel[data-appeal-status="open"]');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('giấy phép lái xe hợp lệ');
    await expect.poll(() => panel.textContent()).toContain('giay-phep-lai-xe.png');
    await shot(console, 'console-appeal');
    const staffThread = console.locator('.message-thread');
    await expect.poll(() => staffThread.textContent()).toContain('Tôi đã gửi bản chụp giấy phép lái xe.');
    await staffThread.getByLabel('Tin nhắn').fill('Chúng tôi đã nhận, sẽ trả lời trong tuần.');
    await staffThread.getByRole('button', { name: 'Gửi tin nhắn' }).click();
    await staffThread.locator('.thread-message[data-from="staff"]').waitFor();
    await page.reload();
    await expect.poll(() => thread.textContent()).toContain('sẽ trả lời trong tuần');
    await shot(page, 'customer-message-thread');
  });

  it('keeps a draft claim through a reload and going offline, lists saved drafts, and drops it once filed', async () => {
    const { context, page } = await browser.newPage(PHONE);
    pages.push(page);
    await page.goto(stack.webUrl);
    await page.waitForURL(/#\/signin$/);
    await page.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL(/#\/claims$/);
    await page.goto(`${stack.webUrl}#/claims/new`);
    await page.getByLabel(/MOT-2026-0001/).check();
    const description = 'Xe bị cành cây đổ vào kính chắn gió khi đỗ dưới lòng đường.';
    await page.getByLabel('Mô tả diễn biến').fill(description);

    // A reload keeps what was typed.
    await page.reload();
    // After a reload the app signs back in, fetches its language chunk and the policies before the
    // form (and its draft) is on screen: more than expect.poll's default second on a loaded CI machine.
    await expect
      .poll(() => page.getByLabel('Mô tả diễn biến').inputValue(), { timeout: 15_000 })
      .toBe(description);

    // Offline: typing goes on, a submission fails, nothing is lost; back online it is all there.
    await context.setOffline(true);
    await page.getByLabel('Địa điểm (số nhà, đường, phường/xã)').fill('Số 5 Tràng Thi, Hoàn Kiếm');
    await page.getByLabel('Tỉnh / thành phố').fill('Hà Nội');
    await page.getByLabel('Nguyên nhân').selectOption('storm');
    await page.getByLabel('Ngày xảy ra').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    await page.getByLabel('Giờ xảy ra').fill('07:15');
    await page.getByLabel('Số tiền ước tính (VND)').fill('6000000');
    await page.getByLabel('Ngân hàng').fill('Vietcombank');
    await page.getByLabel('Số tài khoản').fill('0011004455667');
    await page.locator('form.claim-form button[type=submit]').click();
    await page.locator('.banner-error').first().waitFor();
    expect(await page.getByLabel('Mô tả diễn biến').inputValue()).toBe(description);
    await shot(page, 'customer-draft-offline', true, 'current');
    await context.setOffline(false);
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Địa điểm (số nhà, đường, phường/xã)').inputValue())
      .toBe('Số 5 Tràng Thi, Hoàn Kiếm');

    // Saved as a draft, it waits in the list and comes back.
    await page.getByRole('button', { name: 'Lưu nháp, làm tiếp sau' }).click();
    await page.waitForURL(/#\/claims$/);
    const drafts = page.locator('.drafts .draft-item');
    await expect.poll(() => drafts.count()).toBe(1);
    expect(await drafts.first().textContent()).toContain('Xe bị cành cây đổ');
    await shot(page, 'customer-drafts');
    await drafts.first().getByRole('button', { name: 'Làm tiếp' }).click();
    await page.waitForURL(/#\/claims\/new$/);
    await expect.poll(() => page.getByLabel('Mô tả diễn biến').inputValue()).toBe(description);
    // The account number is never kept on the device: typed again before sending.
    expect(await page.getByLabel('Số tài khoản').inputValue()).toBe('');
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('0011004455667');
    await page.getByLabel('Số tài khoản').fill('0011004455667');

    // Filed, the draft is gone from the device.
    await page.locator('form.claim-form button[type=submit]').click();
    await page.waitForURL(/#\/claims\/[0-9a-f]+$/, { timeout: 20_000 });
    await page.goto(`${stack.webUrl}#/claims`);
    await page.locator('.claim-list').waitFor();
    expect(await page.locator('.drafts').count()).toBe(0);
    await page.goto(`${stack.webUrl}#/claims/new`);
    await page.getByLabel(/MOT-2026-0001/).waitFor();
    expect(await page.getByLabel('Mô tả diễn biến').count()).toBe(0);

    // Signing out leaves no draft behind for the next person on the phone.
    await page.getByLabel(/MOT-2026-0001/).check();
    await page.getByLabel('Mô tả diễn biến').fill(description);
    await page.getByRole('button', { name: 'Lưu nháp, làm tiếp sau' }).click();
    await page.waitForURL(/#\/claims$/);
    await expect.poll(() => page.locator('.drafts .draft-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/#\/signin$/);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('vnclaims.customer.draft');
  });
});
