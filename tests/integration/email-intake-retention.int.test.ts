import { randomInt, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { getEmailRecord } from '../../lambdas/adapters/dynamo/inbound-email-repo.ts';
import { emailKeys, keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { intakeIdFor } from '../../lambdas/app/email-intake.ts';
import { IGNORED_KEPT_DAYS } from '../../lambdas/core/inbound-email.ts';
import { maskAccountNumber } from '../../lambdas/core/payout-account.ts';
import { businessDate } from '../../lambdas/core/time.ts';
import { TTL_ATTRIBUTE } from '../../lambdas/shared/table-definition.ts';
import { until } from '../helpers/claims.ts';
import { sendRaw } from '../helpers/email.ts';
import { makePolicy } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * What the record of a received e-mail keeps of the message (app/email-intake.ts, core
 * `keptOfMessage`), read back as DynamoDB stores it: once handled, nothing of what it said (the
 * raw message under `inbound/` is the evidence); while kept for staff, its text with the account
 * number masked; ignored mail expires.
 */
const stack = useStack();
const port = Number(stack.env.LOCAL_SMTP_PORT);
const DAY = 86_400_000;
let an: Api;
let hai: Api;
/** An.nguyen's motor policy of this suite's own, so no other suite's claims share it. */
const policyNumber = `RET-2026-${randomInt(100_000, 999_999)}`;

beforeAll(async () => {
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
  await putPolicy(
    makePolicy({
      policyNumber,
      effectiveFrom: `${businessDate(new Date(Date.now() - 120 * DAY))}T00:00:00+07:00`,
      effectiveTo: `${businessDate(new Date(Date.now() + 240 * DAY))}T23:59:59+07:00`,
    }),
  );
});
afterAll(async () => {
  await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.policy(policyNumber) }));
});

/** A fresh account number for each message: no other suite's text or claim holds it. */
const accountNumber = () => `0601${randomInt(10_000_000, 99_999_999)}`;
const lossDate = (daysAgo: number) => {
  const [y, m, d] = businessDate(new Date(Date.now() - daysAgo * DAY)).split('-');
  return `${d}/${m}/${y}`;
};

/** A message from an.nguyen with SES's verdicts passing (the sender writes them locally). */
function mail(messageId: string, body: string[], extraHeaders: string[] = []) {
  return Buffer.from(
    [
      'Return-Path: <an.nguyen@example.vn>',
      'X-SES-Spam-Verdict: PASS',
      'X-SES-Virus-Verdict: PASS',
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=an.nguyen@example.vn; dkim=pass header.i=@example.vn; dmarc=pass header.from=example.vn;',
      'From: an.nguyen@example.vn',
      'To: boithuong@baohiem.local',
      'Subject: Yeu cau boi thuong',
      `Message-ID: <${messageId}>`,
      `Date: ${new Date().toUTCString()}`,
      ...extraHeaders,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      ...body,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

/** A claim report in words, the loss date left out when `daysAgo` is undefined. */
const report = (account: string, words: string, daysAgo?: number) => [
  'Kính gửi Phòng Bồi thường,',
  `Tôi là Nguyễn Văn An, số hợp đồng: ${policyNumber}.`,
  ...(daysAgo === undefined ? [] : [`Ngày xảy ra: ${lossDate(daysAgo)} lúc 09h15`]),
  'Địa điểm: 18 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội',
  `Mô tả: Xe tôi bị va chạm khi lùi vào bãi đỗ, ${words}.`,
  'Ước tính thiệt hại: 6.000.000 đ',
  `Số tài khoản: ${account}`,
  'Ngân hàng: Vietcombank',
  'Chủ tài khoản: Nguyễn Văn An',
];

/** The message's record once processed, as DynamoDB stores it (no adapter in between). */
async function storedItem(messageId: string) {
  const intakeId = intakeIdFor(`<${messageId}>`);
  await eventually(async () => {
    const r = await getEmailRecord(intakeId);
    return r && r.outcome !== 'RECEIVED' ? r : undefined;
  }, 20_000);
  return rawItem(intakeId);
}
async function rawItem(intakeId: string) {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: emailKeys.message(intakeId), ConsistentRead: true }),
  );
  return r.Item as Record<string, unknown>;
}

describe('what the record of a received e-mail keeps', () => {
  it('a message that files a claim: neither the account number nor the text nor what was read', async () => {
    const id = `retention-claim-${randomUUID()}@example.vn`;
    const account = accountNumber();
    const words = `gãy gương chiếu hậu ${randomUUID().slice(0, 8)}`;
    expect((await sendRaw(port, mail(id, report(account, words, 20)))).response).toMatch(/^250/);
    const item = await storedItem(id);
    expect(item.outcome, JSON.stringify(item.reasons)).toBe('CLAIM_CREATED');
    expect(JSON.stringify(item)).not.toContain(account);
    expect(JSON.stringify(item)).not.toContain(words);
    expect(item).not.toHaveProperty('text');
    expect(item).not.toHaveProperty('parsed');
    // Kept as long as the claim it made: no expiry.
    expect(item).not.toHaveProperty(TTL_ATTRIBUTE);
    // The claim has the account (encrypted, shown masked), the raw message the evidence.
    const claim = await until(an, item.claimId as string, () => true);
    expect(claim.report.payoutAccount.accountMask).toBe(maskAccountNumber(account));
    expect(item.rawKey).toMatch(/^inbound\//);
  });

  it('a message kept for staff: its text with the account number masked, read again from the raw message when it becomes a claim, then dropped', async () => {
    const id = `retention-intake-${randomUUID()}@example.vn`;
    const account = accountNumber();
    const mask = maskAccountNumber(account);
    const words = `vỡ đèn hậu ${randomUUID().slice(0, 8)}`;
    // No loss date: kept for staff.
    expect((await sendRaw(port, mail(id, report(account, words)))).response).toMatch(/^250/);
    const held = await storedItem(id);
    expect(held).toMatchObject({ outcome: 'INTAKE', reasons: ['loss_date'], policyNumber });
    expect(JSON.stringify(held)).not.toContain(account);
    expect(held.text).toContain(`Số tài khoản: ${mask}`);
    expect(held.text).toContain(words);
    expect((held.parsed as { bankAccount: unknown }).bankAccount).toEqual({
      bankName: 'Vietcombank',
      accountHolder: 'Nguyễn Văn An',
      accountMask: mask,
    });
    // Staff read it on their queue, the mask in place of the number.
    const queue = (await hai.get('/intake-records')).body.items as { intakeId: string; text?: string }[];
    const listed = queue.find((i) => i.intakeId === held.intakeId);
    expect(listed?.text).toContain(mask);
    expect(listed?.text).toContain(words);

    // Staff give the date; the account comes from the raw message, in full.
    const made = await hai.post(`/intake-records/${held.intakeId}/claim`, {
      expectedVersion: held.version,
      lossAt: new Date(Date.now() - 10 * DAY).toISOString(),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).not.toHaveProperty('text');
    // The record had only the mask: a claim with an account at all read it from the raw message.
    const claim = await until(hai, made.body.claim.claimId as string, () => true);
    expect(claim.report.payoutAccount.accountMask).toBe(mask);

    const after = await rawItem(held.intakeId as string);
    expect(after).toMatchObject({ claimId: claim.claimId });
    expect(after).not.toHaveProperty('text');
    expect(after).not.toHaveProperty('parsed');
    expect(JSON.stringify(after)).not.toContain(words);
  });

  it('mail ignored as automatic: nothing of what it says, and it expires after the retention period', async () => {
    const id = `retention-ignored-${randomUUID()}@example.vn`;
    const account = accountNumber();
    const words = `đang nghỉ phép ${randomUUID().slice(0, 8)}`;
    const body = [`Tôi ${words}, sẽ trả lời khi về.`, `Số tài khoản: ${account}`];
    expect((await sendRaw(port, mail(id, body, ['Auto-Submitted: auto-replied']))).response).toMatch(/^250/);
    const item = await storedItem(id);
    expect(item).toMatchObject({ outcome: 'IGNORED', reasons: ['AUTO_SUBMITTED'] });
    expect(item).not.toHaveProperty('text');
    expect(item).not.toHaveProperty('parsed');
    expect(JSON.stringify(item)).not.toContain(account);
    expect(JSON.stringify(item)).not.toContain(words);
    expect(item[TTL_ATTRIBUTE]).toBe(
      Math.floor(Date.parse(item.receivedAt as string) / 1000) + IGNORED_KEPT_DAYS * 86_400,
    );
    expect(IGNORED_KEPT_DAYS).toBe(90);
    // Still listed for staff meanwhile: who wrote, about what.
    const ignored = (await hai.get('/intake-records?outcome=IGNORED')).body.items as { intakeId: string }[];
    expect(ignored.find((i) => i.intakeId === item.intakeId)).toMatchObject({
      from: 'an.nguyen@example.vn',
      subject: 'Yeu cau boi thuong',
    });
  });
});
