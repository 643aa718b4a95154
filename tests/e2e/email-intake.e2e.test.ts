import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailFixture, sendRaw } from '../helpers/email.ts';
import { type Api, apiAs, eventually } from './helpers/api.ts';
import { type E2eBrowser, launchBrowser, shot } from './helpers/browser.ts';
import { type E2eStack, startE2eStack } from './helpers/stack.ts';

/**
 * Claims by email in the console: a message from an unregistered address lands as an intake record;
 * a claim handler opens it, links it to the customer and policy, fills in what it lacked and makes
 * it a claim (channel email); the customer's e-mail on that claim then reaches the claim's thread.
 */
let stack: E2eStack;
let browser: E2eBrowser;
let hai: Api;

beforeAll(async () => {
  stack = await startE2eStack();
  browser = await launchBrowser();
  hai = await apiAs(stack.apiUrl, 'hai.do');
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('email intake in the console', () => {
  it('staff link an intake record and make it a claim', async () => {
    const port = Number(stack.env.LOCAL_SMTP_PORT);
    await sendRaw(port, emailFixture('unknown-sender.eml'));
    // Two held for other reasons: a forged sender, and a body in VISCII.
    await sendRaw(port, emailFixture('spoof-dkim-fail.eml'));
    await sendRaw(
      port,
      Buffer.from(
        emailFixture('unknown-sender.eml')
          .toString('utf8')
          .replace('unknown-0001@', 'viscii-0001@')
          .replace('charset=utf-8', 'charset=VISCII'),
      ),
    );
    const record = await eventually('the intake records', async () => {
      const items: { from?: string; intakeId: string; reasons: string[] }[] =
        (await hai.get('/intake-records')).body.items ?? [];
      const held = items.filter(
        (i) => i.from === 'nguoi.la@example.org' || i.from === 'an.nguyen@example.vn',
      );
      return held.length === 3 ? items.find((i) => i.reasons.includes('known_sender')) : undefined;
    });

    const { page } = await browser.newPage();
    await page.goto(stack.consoleUrl);
    await page.waitForURL(/#\/signin$/);
    await page.locator('[data-username="hai.do"]').click();
    await page.waitForURL(/#\/queue/);
    await page.getByRole('link', { name: 'Thư tiếp nhận' }).click();
    await page.waitForURL(/#\/intake$/);
    // Each reason in words: what is missing, or why it was held.
    const reasons = page.locator('.intake-table');
    await reasons.getByText('bảng mã tiếng Việt cũ (VISCII/TCVN)', { exact: false }).waitFor();
    await reasons.getByText('DMARC không đạt', { exact: false }).waitFor();
    await expect(reasons.textContent()).resolves.not.toMatch(/UNSUPPORTED_CHARSET|UNTRUSTED_SENDER|VERDICT_/);
    await shot(page, 'email-intake-list');
    await page.locator(`tr[data-intake="${record.intakeId}"] a`).click();
    await page.waitForURL(new RegExp(`#/intake/${record.intakeId}$`));
    const card = page.locator(`[data-intake-record="${record.intakeId}"]`);
    await expect(card.locator('.email-text').textContent()).resolves.toContain('xin hướng dẫn');

    await card.getByLabel('Mã khách hàng').fill('CUS-0001');
    await card.getByLabel('Số hợp đồng').fill('MOT-2026-0001');
    await card.getByRole('button', { name: 'Gắn khách hàng và hợp đồng' }).click();
    await card.getByText('Đã gắn CUS-0001 / MOT-2026-0001').waitFor();

    const day = new Date(Date.now() - 47 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    await card.getByLabel('Ngày xảy ra (YYYY-MM-DD)').fill(day);
    await card.getByLabel('Địa điểm').fill('5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội');
    await card.getByLabel('Tỉnh/thành phố').fill('Hà Nội');
    await card.getByLabel('Nguyên nhân (mã)').fill('collision');
    await card.getByLabel('Ngân hàng').fill('Vietcombank');
    await card.getByLabel('Số tài khoản').fill('0123456789');
    await card.getByLabel('Chủ tài khoản').fill('Nguyễn Văn An');
    await card.getByRole('button', { name: 'Lập hồ sơ bồi thường' }).click();
    const made = card.getByRole('link', { name: /Đã lập hồ sơ BT-/ });
    await made.waitFor();
    await shot(page, 'email-intake-claim-made');
    await made.click();
    await page.waitForURL(/#\/claims\//);
    const claimId = page.url().split('#/claims/')[1] ?? '';
    const claim = await hai.get(`/claims/${claimId}`);
    expect(claim.body).toMatchObject({ channel: 'email', policyNumber: 'MOT-2026-0001' });
    const queue = await hai.get('/intake-records');
    expect(queue.body.items.map((i: { intakeId: string }) => i.intakeId)).not.toContain(record.intakeId);

    // The customer answers the claim's e-mail: the handler reads it in the claim's thread.
    await sendRaw(port, emailFixture('reply-correction.eml', { CLAIM_NUMBER: claim.body.claimNumber }));
    await eventually('the e-mail in the thread', async () =>
      (await hai.get(`/claims/${claimId}/messages`)).body.items?.length > 0 ? true : undefined,
    );
    await page.reload();
    const message = page.locator('.thread-message.from-customer').first();
    await message.waitFor();
    await expect(message.locator('.thread-meta').textContent()).resolves.toContain('Khách hàng (qua email)');
    await expect(message.locator('.thread-text').textContent()).resolves.toMatch(
      /^Xin đính chính: địa điểm đúng là số 125 Láng Hạ/,
    );
    await message.scrollIntoViewIfNeeded();
    await shot(page, 'email-reply-in-thread', false);
  });
});
