import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../../local/demo-data.ts';
import { formatMoney } from '../../lambdas/core/money.ts';
import {
  type Api,
  apiAs,
  eventually,
  type FiledClaim,
  fileClaim,
  MOTOR_DOCUMENTS,
  motorReport,
  uploadDocuments,
  vietnamDate,
  waitForStatus,
  waitForWaiting,
} from './helpers/api.ts';
import { type E2eBrowser, hasHorizontalScroll, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * The staff console in headless Chromium against the whole local stack. Each path of a claim is
 * walked through by clicking in the console as the people who would do it; only the customer's side
 * (filing, uploading) is set up through the API. Tests run in order on one stack.
 */
const STAFF = [
  'dung.pham',
  'giang.hoang',
  'em.vo',
  'hai.do',
  'khanh.bui',
  'lan.ngo',
  'minh.dang',
  'oanh.vu',
  'nam.ly',
  'admin',
  'phuong.le',
];
const usernameOf = (staffId: string | undefined) => STAFF.find((u) => userIdFor(u) === staffId);

let stack: E2eStack;
let browser: E2eBrowser;
let an: Api;
let hai: Api;
const pages = new Map<string, Page>();
/** The claim of test (2) and its adjuster, reused by the inspection test. */
let infoClaim: { claim: FiledClaim; adjuster: string } | undefined;

interface Mail {
  destination?: { to?: string[] };
  subject?: string;
  body?: { text?: string; html?: string };
}
async function mailbox(): Promise<Mail[]> {
  const res = await fetch(`${stack.mailUrl}/store`);
  return ((await res.json()) as { emails: Mail[] }).emails;
}
const mailText = (m: Mail) => `${m.subject ?? ''}\n${m.body?.text ?? m.body?.html ?? ''}`;

/** One browser context per person, signed in once through the console's demo-staff buttons. */
async function as(username: string): Promise<Page> {
  const existing = pages.get(username);
  if (existing) return existing;
  const { page } = await browser.newPage();
  await page.goto(stack.consoleUrl);
  await page.waitForURL(/#\/signin$/);
  await page.locator(`[data-username="${username}"]`).click();
  await page.waitForURL(/#\/queue/);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Hàng đợi công việc');
  pages.set(username, page);
  return page;
}

/** Amounts as the console shows them (Intl puts a no-break space before the ₫). */
const vnd = (amount: number) => formatMoney({ amount, currency: 'VND' }, 'vi');

/** Opens a claim afresh (a hash-only navigation to the URL already shown would not reload it). */
async function openClaim(page: Page, claimId: string) {
  const url = `${stack.consoleUrl}#/claims/${claimId}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.waitForSelector(`.claim-page[data-claim-id="${claimId}"]`);
}

const statusOf = (page: Page) => page.locator('.claim-page').getAttribute('data-status');
const notice = (page: Page) => page.locator('[data-notice]').textContent();
const timelineTypes = (page: Page) =>
  page.locator('.timeline-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));

/** Opens one of the claim page's action tabs by its (exact) name. */
const actionTab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();

/** Makes `username` the claim's adjuster (setup: the assignment under test is elsewhere). */
async function ensureAssigned(claimId: string, username: string) {
  const c = (await hai.get(`/claims/${claimId}`)).body;
  if (c.assignee?.staffId === userIdFor(username)) return;
  const r = await hai.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdFor(username),
    reason: 'e2e setup',
  });
  expect(r.status).toBe(200);
}

/** Files a motor claim and waits until the workflow has parked it for an adjuster. */
async function parkedClaim(report: Parameters<typeof motorReport>[0]): Promise<FiledClaim> {
  const claim = await fileClaim(an, motorReport(report));
  await waitForWaiting(hai, claim.claimId, 'assessment');
  return claim;
}

/** Fills the assessment form with one repair item and a market value, checks the preview, saves. */
async function assess(page: Page, amount: string, marketValue: string, payable: number) {
  const expectedPayable = vnd(payable);
  await actionTab(page, 'Giám định');
  await page.getByLabel('Số tiền giám định (VND)').fill(amount);
  await page.getByLabel('Giá thị trường tại thời điểm tổn thất (VND)').fill(marketValue);
  // The live preview runs the payout engine in the browser as the adjuster types.
  await expect.poll(() => page.getByTestId('preview-total').textContent()).toContain(expectedPayable);
  await page.getByRole('button', { name: 'Lưu kết quả giám định' }).click();
  await expect.poll(() => notice(page)).toContain(`Số tiền bồi thường theo máy chủ: ${expectedPayable}`);
  expect(await statusOf(page)).toBe('ASSESSED');
}

async function approveDecision(page: Page) {
  await actionTab(page, 'Quyết định');
  await page.getByLabel('Chấp thuận', { exact: true }).check();
  await page.getByRole('button', { name: 'Gửi quyết định' }).click();
  // Nothing is sent before the confirmation that states the amount.
  await page.locator('.confirm-box').getByRole('button', { name: 'Xác nhận' }).click();
}

async function vote(page: Page, claimId: string, choice: 'approve' | 'reject', comment: string) {
  await openClaim(page, claimId);
  await actionTab(page, 'Ý kiến phòng ban');
  await page.getByLabel('Ý kiến (mọi phòng ban đều xem được)').fill(comment);
  await page
    .getByRole('button', { name: choice === 'approve' ? 'Đồng ý chi trả' : 'Không đồng ý, trả lại hồ sơ' })
    .click();
  await expect.poll(() => notice(page), { timeout: 15_000 }).toContain('Đã ghi nhận ý kiến');
}

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

// What each signed-in person was looking at when a test failed.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [user, page] of pages) await shot(page, `failed-${user}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('staff console', () => {
  it('lists the demo staff and shows each person only what their roles allow', async () => {
    const { page } = await browser.newPage();
    await page.goto(stack.consoleUrl);
    await page.waitForURL(/#\/signin$/);
    // Two finance users (maker and checker) and two administrators (proposer and approver).
    expect(await page.locator('[data-username]').count()).toBe(11);
    await shot(page, 'console-signin');

    const dung = await as('dung.pham');
    const nav = () => dung.locator('.main-nav a').allTextContents();
    expect(await nav()).toEqual(['Hàng đợi công việc', 'Tiếp nhận qua điện thoại', 'Thư tiếp nhận']);
    expect(await dung.locator('.tabs [role=tab]').allTextContents()).toEqual([
      'Của tôi',
      'Hàng đợi nhóm',
      'Tất cả',
    ]);

    const khanh = await as('khanh.bui');
    expect(await khanh.locator('.main-nav a').allTextContents()).toEqual(['Hàng đợi công việc']);
    expect(await khanh.locator('.tabs [role=tab]').allTextContents()).toEqual(['Chờ phê duyệt', 'Tất cả']);

    const supervisor = await as('hai.do');
    expect(await supervisor.locator('.main-nav a').allTextContents()).toEqual([
      'Hàng đợi công việc',
      'Tiếp nhận qua điện thoại',
      'Cán bộ',
      'Cấu hình sản phẩm',
      'Mẫu thông báo',
      'Nhập hợp đồng',
      'Hậu kiểm',
      'Thư tiếp nhận',
    ]);
    expect(browser.errors).toEqual([]);
  });

  it('(1) straight-through: a small motor claim with every document is approved and queued for payment with no human step', async () => {
    const claim = await parkedClaim({ amount: 8_000_000, daysAgo: 1 });
    // Straight-through pays on the total declared with the repair invoice, not on the estimate.
    await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS, { repair_invoice: 8_000_000 });
    await waitForStatus(hai, claim.claimId, ['PAYMENT_QUEUED', 'PAID'], 30_000);

    const page = await as('hai.do');
    await openClaim(page, claim.claimId);
    expect(await page.locator('.claim-head .badge[data-status]').textContent()).toBe('Đang chuyển tiền');
    const types = await timelineTypes(page);
    for (const t of [
      'DossierCompleted',
      'AssessmentRecorded',
      'PayoutCalculated',
      'ClaimApproved',
      'PaymentQueued',
    ])
      expect(types).toContain(t);
    // Nobody on the staff side touched it: every entry is the customer's or the system's.
    const actors = await page
      .locator('.timeline-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-by')));
    expect(new Set(actors)).toEqual(new Set(['customer', 'system']));
    expect(await page.locator('.timeline').textContent()).toContain('tự động theo quy tắc');
    // 8,000,000 less the 10 % deductible (minimum 500,000) of the own-damage cover.
    expect(await page.locator('.payable-amount').textContent()).toBe(vnd(7_200_000));
    expect(await page.locator('.decision-box').getAttribute('data-outcome')).toBe('approve');
    // The event chain verifies.
    expect(await page.locator('.audit-badge').getAttribute('data-audit')).toBe('verified');
    await shot(page, 'console-stp-claim');

    // Inline preview of an uploaded photo (presigned GET).
    await page.locator('.doc-item[data-doc-type="damage_photos"] button').click();
    const img = page.locator('.overlay img.doc-preview-image');
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await shot(page, 'console-doc-preview', false);
    await page.getByRole('button', { name: 'Đóng' }).click();
    expect(await page.locator('.overlay').count()).toBe(0);
  });

  it('(2) a supervisor reassigns; the adjuster asks for information; the customer answers in the customer app; the claim is back under assessment', async () => {
    const claim = await parkedClaim({ amount: 20_000_000, daysAgo: 2 });
    const before = (await hai.get(`/claims/${claim.claimId}`)).body;
    const from = usernameOf(before.assignee?.staffId);
    expect(['dung.pham', 'hai.do']).toContain(from);
    const to = from === 'dung.pham' ? 'hai.do' : 'dung.pham';

    // The supervisor reassigns it in the console.
    const sup = await as('hai.do');
    await openClaim(sup, claim.claimId);
    await actionTab(sup, 'Phân công');
    await sup.getByLabel('Giao cho').selectOption(userIdFor(to));
    await sup.getByLabel('Lý do').fill('Cân bằng khối lượng công việc');
    await sup.getByRole('button', { name: 'Phân công lại' }).click();
    await expect.poll(() => notice(sup)).toContain('Đã phân công lại cho');
    expect((await hai.get(`/claims/${claim.claimId}`)).body.assignee.staffId).toBe(userIdFor(to));

    // The new adjuster finds it under "Mine" and asks the customer for information.
    const adj = await as(to);
    await adj.goto(`${stack.consoleUrl}#/queue?view=mine`);
    const row = adj.locator(`.queue-row[data-claim-number="${claim.claimNumber}"]`);
    await row.locator('a.claim-link').click();
    await adj.waitForSelector(`.claim-page[data-claim-id="${claim.claimId}"]`);
    await actionTab(adj, 'Yêu cầu bổ sung');
    // Too short a request says what is wanted, not "too short or too small".
    await adj.getByLabel('Nội dung yêu cầu gửi khách hàng').fill('Gara');
    await adj.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await expect
      .poll(() => adj.locator('#f-message-error').textContent())
      .toBe('Nội dung cần ít nhất 5 ký tự');
    await adj
      .getByLabel('Nội dung yêu cầu gửi khách hàng')
      .fill('Vui lòng cho biết xe đã được sửa ở gara nào và gửi báo giá sửa chữa.');
    await adj.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await expect.poll(() => notice(adj)).toContain('Đã gửi yêu cầu bổ sung');
    expect(await statusOf(adj)).toBe('INFO_REQUESTED');
    await shot(adj, 'console-info-requested');

    // The customer answers on their claim page in the customer app.
    const { page: cust } = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await cust.goto(stack.webUrl);
    await cust.waitForURL(/#\/signin$/);
    await cust.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await cust.locator('form button[type=submit]').click();
    await cust.waitForURL(/#\/claims$/);
    await cust.goto(`${stack.webUrl}#/claims/${claim.claimId}`);
    const card = cust.locator('.info-request-card[data-request-status="open"]');
    await card.waitFor();
    await card
      .getByLabel('Câu trả lời của bạn')
      .fill('Xe sửa tại Gara Toyota Láng Hạ; báo giá 19,5 triệu, tôi đã tải lên.');
    await card.getByRole('button', { name: 'Gửi trả lời' }).click();
    await expect
      .poll(() => cust.locator('.info-request-card').getAttribute('data-request-status'))
      .toBe('answered');
    await shot(cust, 'customer-info-answered');

    // Back in the console: under assessment again, with the answer on file.
    await openClaim(adj, claim.claimId);
    await expect.poll(() => statusOf(adj), { timeout: 15_000 }).toBe('UNDER_ASSESSMENT');
    expect(await adj.locator('.customer-answer').textContent()).toContain('Gara Toyota Láng Hạ');
    expect(await timelineTypes(adj)).toContain('InfoProvided');
    await waitForWaiting(hai, claim.claimId, 'assessment');
    infoClaim = { claim, adjuster: to };
  });

  it('inspection: the adjuster proposes a time in the console; the customer asks for another in the customer app', async () => {
    expect(infoClaim).toBeDefined();
    const { claim, adjuster } = infoClaim as NonNullable<typeof infoClaim>;
    const adj = await as(adjuster);
    await openClaim(adj, claim.claimId);
    await actionTab(adj, 'Hẹn giám định');
    await adj.getByLabel('Ngày').fill(vietnamDate(-2));
    await adj.getByLabel('Giờ (giờ Việt Nam)').fill('10:30');
    await adj.getByLabel('Địa điểm').fill('Gara Toyota Láng Hạ, 105 Láng Hạ, Hà Nội');
    await adj.getByRole('button', { name: 'Đề xuất lịch giám định' }).click();
    await expect.poll(() => notice(adj)).toContain('Đã gửi đề xuất lịch giám định');

    const { page: cust } = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await cust.goto(stack.webUrl);
    await cust.waitForURL(/#\/signin$/);
    await cust.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await cust.locator('form button[type=submit]').click();
    await cust.waitForURL(/#\/claims$/);
    await cust.goto(`${stack.webUrl}#/claims/${claim.claimId}`);
    const card = cust.locator('.inspection-card[data-inspection-status="proposed"]');
    await card.waitFor();
    expect(await card.textContent()).toContain('10:30');
    await card.getByRole('button', { name: 'Đề nghị thời gian khác' }).click();
    await card.getByLabel('Ngày bạn đề nghị').fill(vietnamDate(-3));
    await card.getByLabel('Giờ bạn đề nghị').fill('14:00');
    await card.getByLabel('Ghi chú (không bắt buộc)').fill('Sáng hôm đó tôi bận họp.');
    await card.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await expect
      .poll(() => cust.locator('.inspection-card').first().getAttribute('data-inspection-status'))
      .toBe('reschedule_requested');
    await shot(cust, 'customer-inspection-reschedule');

    await openClaim(adj, claim.claimId);
    const proposal = adj.locator('.info-request[data-status="reschedule_requested"]');
    expect(await proposal.textContent()).toContain('14:00');
    expect(await proposal.textContent()).toContain('Sáng hôm đó tôi bận họp.');
  });

  it('(3) an adjuster assesses above their authority; the decision waits for a supervisor, who approves it in the console', async () => {
    const claim = await parkedClaim({ amount: 40_000_000, daysAgo: 3 });
    // Evidence before money: the dossier is complete before anyone approves.
    await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS);
    await ensureAssigned(claim.claimId, 'dung.pham');
    const dung = await as('dung.pham');
    await openClaim(dung, claim.claimId);
    const loaded = Number(await dung.locator('.claim-page').getAttribute('data-version'));

    // Meanwhile the supervisor writes on the claim: the adjuster's save is refused (409
    // VERSION_CONFLICT), the console says so and reloads, keeping what was typed.
    expect(
      (await hai.post(`/claims/${claim.claimId}/notes`, { text: 'Đã gọi khách hàng xác nhận gara.' })).status,
    ).toBe(201);
    await actionTab(dung, 'Giám định');
    await dung.getByLabel('Số tiền giám định (VND)').fill('90000000');
    await dung.getByLabel('Giá thị trường tại thời điểm tổn thất (VND)').fill('600000000');
    await dung.getByRole('button', { name: 'Lưu kết quả giám định' }).click();
    await expect
      .poll(() => dung.locator('[data-notice="conflict"]').textContent())
      .toContain('vừa được người khác cập nhật');
    expect(Number(await dung.locator('.claim-page').getAttribute('data-version'))).toBeGreaterThan(loaded);
    expect(await dung.locator('.timeline-item[data-event="NoteAdded"]').count()).toBe(1);
    expect(await dung.getByLabel('Số tiền giám định (VND)').inputValue()).toBe('90.000.000');

    // Submitted again on the version now shown: 90,000,000 repair on a 600,000,000 car is a partial
    // loss, less the 10 % deductible → 81,000,000, above the adjuster's 50,000,000 limit.
    await assess(dung, '90000000', '600000000', 81_000_000);
    expect(await dung.locator('.claim-main [data-step="deductible"]').count()).toBeGreaterThan(0);
    await approveDecision(dung);
    await expect.poll(() => notice(dung)).toContain('vượt hạn mức phê duyệt của bạn');
    expect(await statusOf(dung)).toBe('PENDING_APPROVAL');
    // The adjuster has no approval action, and the API refuses it anyway.
    expect(await dung.getByRole('tab', { name: 'Phê duyệt', exact: true }).count()).toBe(0);
    const dungApi = await apiAs(stack.apiUrl, 'dung.pham');
    const version = Number(await dung.locator('.claim-page').getAttribute('data-version'));
    const forbidden = await dungApi.post(`/claims/${claim.claimId}/approval`, {
      expectedVersion: version,
      approve: true,
      comment: 'tự duyệt',
    });
    expect(forbidden.status).toBe(403);

    // The supervisor finds it under Approvals and approves.
    const sup = await as('hai.do');
    await sup.goto(`${stack.consoleUrl}#/queue?view=approvals`);
    await sup.locator(`.queue-row[data-claim-number="${claim.claimNumber}"] a.claim-link`).click();
    await sup.waitForSelector(`.claim-page[data-claim-id="${claim.claimId}"]`);
    await actionTab(sup, 'Phê duyệt');
    await sup.getByLabel('Ý kiến').fill('Đồng ý, báo giá gara phù hợp mức giá thị trường.');
    await sup.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
    await sup.locator('.confirm-box').getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => notice(sup)).toContain('Đã ghi nhận ý kiến phê duyệt');
    await expect.poll(() => statusOf(sup), { timeout: 15_000 }).toBe('PAYMENT_QUEUED');
    expect(await sup.locator('.round[data-route="supervisor"]').getAttribute('data-status')).toBe('approved');
    await shot(sup, 'console-supervisor-approved');
  });

  it('(4) a large loss goes to a joint decision: underwriting sends it back with a comment, then after re-assessment all approve', async () => {
    const claim = await parkedClaim({ amount: 45_000_000, daysAgo: 4 });
    await uploadDocuments(an, claim.claimId, MOTOR_DOCUMENTS);
    await ensureAssigned(claim.claimId, 'dung.pham');
    const dung = await as('dung.pham');
    await openClaim(dung, claim.claimId);
    // 600,000,000 of damage on a 620,000,000 car is a total loss: market value, deductible waived.
    await assess(dung, '600000000', '620000000', 620_000_000);
    await approveDecision(dung);
    await expect.poll(() => notice(dung)).toContain('Tổn thất lớn');
    expect(await notice(dung)).toContain('Bồi thường, Thẩm định, Tài chính');
    expect(await statusOf(dung)).toBe('JOINT_REVIEW');

    // Legal is not asked on motor own damage; underwriting is, and finds it under Approvals.
    const lan = await as('lan.ngo');
    await openClaim(lan, claim.claimId);
    expect(await lan.getByRole('tab', { name: 'Ý kiến phòng ban' }).count()).toBe(0);
    const khanh = await as('khanh.bui');
    await khanh.goto(`${stack.consoleUrl}#/queue?view=approvals`);
    await expect
      .poll(() => khanh.locator(`.queue-row[data-claim-number="${claim.claimNumber}"]`).count())
      .toBe(1);
    const comment = 'Chưa có chứng thư thẩm định giá độc lập cho giá thị trường 620 triệu.';
    await vote(khanh, claim.claimId, 'reject', comment);
    expect(await statusOf(khanh)).toBe('UNDER_ASSESSMENT');

    // The adjuster sees it sent back, with the comment.
    await waitForWaiting(hai, claim.claimId, 'assessment');
    await openClaim(dung, claim.claimId);
    expect(await dung.locator('.sent-back-comment').textContent()).toContain(comment);
    expect(await dung.locator('.round[data-round="1"]').textContent()).toContain(comment);
    await shot(dung, 'console-joint-sent-back');

    // Re-assessed at the appraised value and decided again: a second round.
    await assess(dung, '600000000', '610000000', 610_000_000);
    await approveDecision(dung);
    await expect.poll(() => notice(dung)).toContain('Tổn thất lớn');

    await vote(await as('hai.do'), claim.claimId, 'approve', 'Đồng ý theo chứng thư thẩm định giá.');
    await vote(khanh, claim.claimId, 'approve', 'Đã có chứng thư, đồng ý.');
    const minh = await as('minh.dang');
    await vote(minh, claim.claimId, 'approve', 'Đủ nguồn chi trả.');
    await expect.poll(() => statusOf(minh), { timeout: 15_000 }).toBe('PAYMENT_QUEUED');
    const round2 = minh.locator('.round[data-round="2"]');
    expect(await round2.getAttribute('data-status')).toBe('approved');
    expect(await round2.locator('.vote[data-vote="approve"]').count()).toBe(3);
    // Every reviewer sees every comment, the first round's too.
    expect(await minh.locator('.round[data-round="1"]').textContent()).toContain(comment);
    await shot(minh, 'console-joint-approved');
  });

  it('(5) a rejection must cite the clause; the customer gets the rejection letter by email and sees it in the app', async () => {
    const claim = await parkedClaim({ amount: 15_000_000, daysAgo: 5, cause: 'glass_breakage' });
    const assignee =
      usernameOf((await hai.get(`/claims/${claim.claimId}`)).body.assignee?.staffId) ?? 'hai.do';
    const page = await as(assignee);
    await openClaim(page, claim.claimId);
    await actionTab(page, 'Quyết định');
    // Nothing assessed yet: only a rejection is possible, and it needs a reason with its clause.
    expect(await page.getByLabel('Chấp thuận', { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Từ chối', { exact: true }).check();
    await page.getByRole('button', { name: 'Gửi quyết định' }).click();
    await expect
      .poll(() => page.locator('#f-reasons\\.0\\.clause-error').textContent())
      .toBe('Vui lòng nhập Điều khoản căn cứ của lý do 1');
    expect(await page.locator('#f-reasons\\.0\\.text-error').textContent()).toBe(
      'Nội dung lý do 1 cần ít nhất 10 ký tự',
    );
    await page.getByLabel('Điều khoản').fill('Điều 5.2(c) Quy tắc bảo hiểm');
    await page
      .getByLabel('Giải thích')
      .fill('Kính xe bị nứt do lão hóa vật liệu, không phải do va chạm hay tác động bất ngờ từ bên ngoài.');
    await page.getByRole('button', { name: 'Gửi quyết định' }).click();
    await page.locator('.confirm-box').getByRole('button', { name: 'Xác nhận' }).click();
    await expect.poll(() => notice(page)).toContain('Quyết định đã có hiệu lực: Từ chối bồi thường');
    expect(await page.locator('.decision-box').textContent()).toContain('Điều 5.2(c) Quy tắc bảo hiểm');
    await shot(page, 'console-rejected');

    const letter = await eventually(
      'the rejection email',
      async () =>
        (await mailbox()).find(
          (m) =>
            m.destination?.to?.includes('an.nguyen@example.vn') &&
            mailText(m).includes(claim.claimNumber) &&
            mailText(m).includes('5.2(c)'),
        ),
      15_000,
    );
    expect(mailText(letter)).toContain('từ chối');

    const { page: cust } = await browser.newPage();
    await cust.goto(stack.webUrl);
    await cust.waitForURL(/#\/signin$/);
    await cust.getByLabel('Tên đăng nhập').fill('an.nguyen');
    await cust.locator('form button[type=submit]').click();
    await cust.waitForURL(/#\/claims$/);
    await cust.goto(`${stack.webUrl}#/claims/${claim.claimId}`);
    const decision = cust.locator('.decision-card');
    await decision.waitFor();
    expect(await decision.getAttribute('data-outcome')).toBe('reject');
    expect(await decision.textContent()).toContain('Điều 5.2(c) Quy tắc bảo hiểm');
  });

  it('role checks: a customer cannot read the queue, finance cannot decide, and the console offers neither', async () => {
    expect((await an.get('/queue')).status).toBe(403);
    const claim = await parkedClaim({ amount: 12_000_000, daysAgo: 1, cause: 'vandalism' });
    const minhApi = await apiAs(stack.apiUrl, 'minh.dang');
    const c = (await minhApi.get(`/claims/${claim.claimId}`)).body;
    const r = await minhApi.post(`/claims/${claim.claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(r.status).toBe(403);
    const minh = await as('minh.dang');
    await openClaim(minh, claim.claimId);
    const tabs = await minh.locator('.actions-card [role=tab]').allTextContents();
    // A note, and a referral to the SIU (which holds the payment): finance may do both, decide nothing.
    expect(tabs).toEqual(['Ghi chú', 'Chuyển điều tra (SIU)']);
    await minh
      .getByLabel('Ghi chú nội bộ (khách hàng không xem được)')
      .fill('Tài chính: đã kiểm tra tài khoản nhận tiền.');
    await minh.getByRole('button', { name: 'Thêm ghi chú' }).click();
    await expect.poll(() => notice(minh)).toContain('Đã thêm ghi chú');
    expect(await minh.locator('.timeline-item[data-event="NoteAdded"]').textContent()).toContain(
      'đã kiểm tra tài khoản',
    );
  });

  it('(6) a missed deadline: after the virtual clock passes it, the claim is red in the queue and supervisors get the escalation', async () => {
    // Motor third-party liability: the insurer must assess within 24 hours (Decree 67/2023 Art. 12).
    const report = {
      ...motorReport({ amount: 20_000_000, daysAgo: 1, cause: 'collision' }),
      policyNumber: 'TPL-2026-0001',
    };
    const claim = await fileClaim(an, report);
    const parked = await waitForWaiting(hai, claim.claimId, 'assessment');
    expect((parked.deadlines ?? []).map((d: { kind: string }) => d.kind)).toContain('assessment');
    const since = Math.floor(Date.now() / 1000);

    const r = await fetch(`${stack.schedulerUrl}/local/advance-time`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 25 * 3600 }),
    });
    expect(r.status).toBe(200);
    await eventually('the deadline breached', async () => {
      const c = (await hai.get(`/claims/${claim.claimId}`)).body;
      return c.deadlineFlag === 'breached' ? c : undefined;
    });

    const sup = await as('hai.do');
    await sup.goto(`${stack.consoleUrl}#/queue?view=all`);
    const row = sup.locator(`.queue-row[data-claim-number="${claim.claimNumber}"]`);
    await expect.poll(() => row.getAttribute('data-flag'), { timeout: 10_000 }).toBe('breached');
    expect(await row.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(253, 235, 234)');
    expect(await row.locator('.flag-badge').textContent()).toBe('Quá hạn');
    await shot(sup, 'console-queue-breached');
    await openClaim(sup, claim.claimId);
    expect(await sup.locator('.deadline[data-kind="assessment"]').getAttribute('data-status')).toBe(
      'breached',
    );

    const escalation = await eventually(
      'the escalation email',
      async () =>
        (
          (await fetch(`${stack.mailUrl}/store?since=${since}`).then((x) => x.json())) as { emails: Mail[] }
        ).emails.find((m) => mailText(m).includes(claim.claimNumber) && /QUÁ HẠN|MISSED/.test(mailText(m))),
      15_000,
    );
    expect(escalation.destination?.to?.join(',')).toContain('hai.do@insurer.example.vn');
  });

  it('phone channel: an adjuster finds the caller by phone number and files a claim for them', async () => {
    const dung = await as('dung.pham');
    await dung.getByRole('link', { name: 'Tiếp nhận qua điện thoại' }).click();
    await dung.waitForURL(/#\/phone$/);
    // A name shared by nobody else finds one caller; the phone, written the international way, too.
    await dung.getByLabel('Tìm khách hàng').fill('+84 987 654 321');
    await dung.getByRole('button', { name: 'Tra cứu' }).click();
    await dung.getByText('Hợp đồng của Trần Thị Bình (CUS-0002)').waitFor();
    await dung.getByLabel(/PRO-2026-0001/).check();
    // The caller's contact details come from the record.
    expect(await dung.getByLabel('Số điện thoại').inputValue()).toBe('0987654321');
    expect(await dung.getByLabel('Email').inputValue()).toBe('binh.tran@example.vn');
    await dung.getByLabel('Ngày xảy ra').fill(vietnamDate(1));
    await dung.getByLabel('Giờ xảy ra').fill('21:15');
    // The address comes from the policy.
    expect(await dung.getByLabel('Địa điểm (số nhà, đường, phường/xã)').inputValue()).toContain('Nguyễn Huệ');
    await dung.getByLabel('Tỉnh / thành phố').fill('TP. Hồ Chí Minh');
    await dung.getByLabel('Nguyên nhân').selectOption('fire');
    await dung
      .getByLabel('Mô tả diễn biến')
      .fill('Chập điện tủ lạnh gây cháy một phần bếp, đã được dập tắt.');
    await dung.getByLabel('Tài sản 1').fill('Tủ lạnh và tủ bếp');
    await dung.getByLabel('Giá trị ước tính (VND)').fill('18000000');
    await dung.getByLabel('Số tiền ước tính (VND)').fill('18000000');
    await dung.getByLabel('Ngân hàng').fill('Techcombank');
    await dung.getByLabel('Số tài khoản').fill('19033445566');
    // The privacy notice is read to the caller first (Decree 13/2023 Art. 13): not ticked, not filed.
    await dung.getByRole('button', { name: 'Ghi nhận hồ sơ' }).click();
    await expect
      .poll(() => dung.locator('#f-privacyNotice-error').textContent())
      .toContain('Hãy đọc thông báo xử lý dữ liệu cá nhân cho khách hàng');
    await dung.getByLabel('Tôi đã đọc thông báo xử lý dữ liệu cá nhân cho khách hàng').check();
    await shot(dung, 'console-phone-form');
    await dung.getByRole('button', { name: 'Ghi nhận hồ sơ' }).click();
    await dung.waitForURL(/#\/claims\/[0-9a-f]+$/);
    const claimId = dung.url().split('/').pop() ?? '';
    await dung.waitForSelector(`.claim-page[data-claim-id="${claimId}"]`);
    expect(await dung.locator('.claim-sub').textContent()).toContain('Điện thoại');
    const c = (await hai.get(`/claims/${claimId}`)).body;
    expect(c.channel).toBe('phone');
    expect(c.privacyNotice).toMatchObject({ channel: 'phone' });
    expect(c.customerId).toBe('CUS-0002');
    expect(c.timeline[0].by).toBe('adjuster');
  });

  it('switches to English and stays usable on a tablet', async () => {
    const { page } = await browser.newPage({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    await page.goto(stack.consoleUrl);
    await page.locator('[data-username="hai.do"]').click();
    await page.waitForURL(/#\/queue/);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Work queue');
    expect(await page.locator('.tabs [role=tab]').allTextContents()).toEqual([
      'Mine',
      'Team queue',
      'Approvals',
      'All',
    ]);
    await page.locator('[data-view="all"]').click();
    await page.locator('.queue-row a.claim-link').first().click();
    await page.waitForSelector('.claim-page');
    expect(await page.locator('.claim-page').textContent()).toContain('Timeline');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'console-tablet-claim-en', true, 'current');
    await page.goto(`${stack.consoleUrl}#/queue?view=all`);
    await page.waitForSelector('.queue-row');
    await shot(page, 'console-tablet-queue-en', true, 'current');
    await page.getByRole('button', { name: 'VI', exact: true }).click();
  });

  it('admin: proposes a staff limit and a product ceiling, a second admin approves them, and the admin audit log verifies', async () => {
    const admin = await as('admin');
    await admin.getByRole('link', { name: 'Cán bộ' }).click();
    await admin.locator('tr[data-username="giang.hoang"] button').click();
    const limit = admin.getByLabel('Hạn mức phê duyệt (VND)');
    expect(await limit.inputValue()).toBe('30.000.000');
    await limit.fill('35000000');
    await admin.getByRole('button', { name: 'Lưu', exact: true }).click();
    // A higher limit is a grant: proposed, not in force until another administrator approves.
    await expect.poll(() => admin.locator('.banner-success').textContent()).toContain('Đã lưu thành đề xuất');
    expect(await admin.locator('tr[data-username="giang.hoang"]').textContent()).toContain('30.000.000');

    await admin.getByRole('link', { name: 'Cấu hình sản phẩm' }).click();
    await admin.waitForSelector('.product-editor[data-product="MOTOR_OD"]');
    // Products by their names, not their codes.
    expect(await admin.getByRole('tab', { selected: true }).textContent()).toBe('Bảo hiểm vật chất xe ô tô');
    // Straight-through above the joint-decision threshold is refused, with the reason by the field.
    await admin.getByLabel('Trần xử lý tự động (VND)').fill('600000000');
    await admin.getByRole('button', { name: 'Lưu cấu hình' }).click();
    await expect.poll(() => admin.locator('[data-issue="exceeds_joint_threshold"]').count()).toBe(1);
    expect(await admin.locator('#f-straightThroughMax-error').textContent()).toContain(
      'ngưỡng quyết định liên phòng',
    );
    await shot(admin, 'console-product-config-error');
    await admin.getByLabel('Trần xử lý tự động (VND)').fill('12000000');
    await admin.getByLabel('Thời hạn thông báo tổn thất (ngày)').fill('7');
    await admin.getByRole('button', { name: 'Lưu cấu hình' }).click();
    await expect.poll(() => admin.locator('.banner-warning').textContent()).toContain('Đã lưu thành đề xuất');

    // The proposer sees both, and may only withdraw them.
    await admin.getByRole('link', { name: 'Thay đổi chờ duyệt' }).click();
    await expect.poll(() => admin.locator('.changes-table tr[data-change]').count()).toBe(2);
    expect(await admin.getByRole('button', { name: 'Phê duyệt' }).count()).toBe(0);
    // The second administrator: what is in force and what is proposed, side by side, then approves.
    const phuong = await as('phuong.le');
    await phuong.getByRole('link', { name: 'Thay đổi chờ duyệt' }).click();
    await expect.poll(() => phuong.locator('.changes-table tr[data-change]').count()).toBe(2);
    const text = await phuong.locator('.changes-table').textContent();
    expect(text).toContain('Hoàng Thu Giang');
    expect(text).toContain('Bảo hiểm vật chất xe ô tô');
    expect(text).toContain('35.000.000');
    await shot(phuong, 'console-admin-changes');
    for (let left = 2; left > 0; left--) {
      await phuong.getByRole('button', { name: 'Phê duyệt' }).first().click();
      await expect.poll(() => phuong.locator('.changes-table tr[data-change]').count()).toBe(left - 1);
    }
    await expect.poll(() => phuong.locator('.banner-success').textContent()).toContain('Đã phê duyệt');
    await admin.getByRole('link', { name: 'Cán bộ' }).click();
    await expect
      .poll(() => admin.locator('tr[data-username="giang.hoang"]').textContent())
      .toContain('35.000.000');

    await admin.getByRole('link', { name: 'Nhật ký quản trị' }).click();
    await expect.poll(() => admin.locator('.audit-badge').getAttribute('data-audit')).toBe('verified');
    const events = await admin
      .locator('.audit-table tr[data-event]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    expect(events).toEqual(expect.arrayContaining(['StaffChanged', 'ProductConfigChanged']));
    // What changed, in words, by whom by name: no JSON, no ids.
    const product = admin.locator('.audit-table tr[data-event="ProductConfigChanged"]').first();
    expect(await product.textContent()).toContain('Bảo hiểm vật chất xe ô tô: phiên bản 1');
    expect(await product.textContent()).toContain('Đã đổi: ');
    expect(await product.textContent()).toContain('Thời hạn thông báo tổn thất');
    expect(await product.textContent()).toContain('Trần xử lý tự động');
    expect(await product.textContent()).toContain('Lê Thu Phương');
    const account = admin.locator('.audit-table tr[data-event="StaffChanged"]').first();
    expect(await account.textContent()).toContain('Sửa tài khoản Hoàng Thu Giang');
    expect(await account.textContent()).toContain('Đã đổi: Hạn mức phê duyệt');
    expect(await admin.locator('.audit-table').textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|[{}]/);
    await shot(admin, 'console-admin-audit');
    expect(browser.errors).toEqual([]);
  });
});
