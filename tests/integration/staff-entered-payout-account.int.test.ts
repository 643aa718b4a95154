import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { eventsOfClaim, getClaim as storedClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { assignPayoutToBatch, getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { recordReceivedEmail } from '../../lambdas/adapters/dynamo/inbound-email-repo.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { intakeIdFor } from '../../lambdas/app/email-intake.ts';
import { notifyForEvent } from '../../lambdas/app/notifications.ts';
import { INBOUND_EMAIL_PREFIX } from '../../lambdas/shared/bucket-prefixes.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { getClaim, hoursAgo, parked, until } from '../helpers/claims.ts';
import { payoutAccountCode, sentEmails } from '../helpers/email.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { approvedBy, secondAdmin } from '../helpers/four-eyes.ts';
import { type Api, apiAs, eventually, snsInbox, useStack } from '../helpers/stack.ts';

/**
 * A payout account typed in by a member of staff (a claim filed for the customer by phone, or made
 * from an e-mail) is not the customer's word: the claim is stored with its payment held until the
 * customer confirms the account, or a supervisor who did not work on the claim verifies it with them
 * at the registered phone (core/payout-account-check.ts). The customer is told at the registered
 * contact, and again at every registered contact (e-mail and SMS) once it is confirmed. Before, an adjuster could file for a customer with an accomplice's account and a colleague's
 * advance went out to it.
 */
const stack = useStack();
const as = (username: string) => apiAs(stack.apiUrl, username);
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
const types = (c: { timeline: { type: string }[] }) => c.timeline.map((e) => e.type);

const suffix = randomUUID().slice(0, 8);
/** Someone else's account, as an adjuster in collusion would type it. */
const ACCOMPLICE = {
  bankName: 'Sacombank',
  accountNumber: `0601${Date.now().toString().slice(-8)}`,
  accountHolder: 'NGUYEN VAN AN',
};
const ACCOMPLICE_MASK = `•••• ${ACCOMPLICE.accountNumber.slice(-4)}`;
const ACCOMPLICE_EMAIL = `an.nguyen.${suffix}@gmail.com`;

const put = (api: Api, path: string, body: unknown) =>
  api.raw(path, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
/** A supervisor who does no claim work here: the one who may verify by phone. */
const verifierBody = {
  displayName: 'Phan Thị Xác Minh',
  email: `xac.minh.${suffix}@insurer.example.vn`,
  username: `xac.minh.${suffix}`,
  roles: ['supervisor'],
  skills: [],
  regions: [],
  authorityLimit: 1_000_000_000,
  active: true,
};

let an: Api;
let binh: Api;
let hai: Api;
let dung: Api;
let nam: Api;
let admin: Api;
let verifier: Api;
let verifierId = '';

beforeAll(async () => {
  [an, binh, hai, dung, nam, admin] = await Promise.all([
    as('an.nguyen'),
    as('binh.tran'),
    as('hai.do'),
    as('dung.pham'),
    as('nam.ly'),
    as('admin'),
  ]);
  const admin2 = (await secondAdmin(stack.apiUrl)).api;
  const made = await approvedBy(admin2, await put(admin, '/admin/staff/new', verifierBody));
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  verifierId = made.body.userId;
  verifier = await as(verifierBody.username);
});

afterAll(async () => {
  if (verifierId)
    await put(admin, `/admin/staff/${verifierId}`, { ...verifierBody, username: undefined, active: false });
});

/**
 * `filer` files a compulsory motor TPL claim for an.nguyen with the accomplice's account, and a
 * contact that is not hers; waits until the workflow parks it. Not a round figure: an.nguyen's many
 * test claims carry most red flags already, and a referral would hold every advance on its own.
 */
async function fileForAn(filer: Api, hours: number) {
  const r = await filer.post(
    '/staff/claims',
    {
      customerId: 'CUS-0001',
      report: makeClaimRequest({
        policyNumber: 'TPL-2026-0001',
        cause: 'third_party_property',
        lossAt: hoursAgo(hours),
        estimatedAmount: { amount: 29_310_000 + hours * 1_000, currency: 'VND' },
        contact: { email: ACCOMPLICE_EMAIL, phone: '0912345678' },
        payoutAccount: ACCOMPLICE,
      }),
    },
    { 'idempotency-key': randomUUID() },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const { claimId, claimNumber } = r.body as { claimId: string; claimNumber: string };
  await until(hai, claimId, parked(), 15_000);
  return { claimId, claimNumber };
}

/** `api` approves an advance of 3 million on the claim at its current version. */
async function advance(api: Api, claimId: string) {
  const c = await getClaim(hai, claimId);
  const r = await api.post(`/claims/${claimId}/advance-payment`, {
    expectedVersion: c.version,
    amount: 3_000_000,
    note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

/** Whether the advance is in finance's awaiting queue (the index a batch reads). */
async function inQueue(claimId: string) {
  const raw = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId, 1), ConsistentRead: true }),
  );
  return raw.Item?.gsi4pk === 'PAYOUTS#AWAITING';
}

/** The advance is held for the account: out of the queue, and a batch cannot take it. */
async function expectHeldForAccount(claimId: string) {
  const line = await getPayout(claimId, 1);
  expect(line).toMatchObject({ status: 'awaiting', hold: { reason: 'payout_account_change' } });
  expect(line?.account.accountMask).toBe(ACCOMPLICE_MASK);
  expect(await inQueue(claimId)).toBe(false);
  expect(await assignPayoutToBatch(line!, `PB-TEST-${suffix}`)).toBe(false);
}

const CONFIRMED_SUBJECT = /Tài khoản nhận tiền bồi thường đã được xác nhận|was confirmed/;
const CONFIRMED_SMS = /tai khoan nhan tien .* da duoc xac nhan|payout account .* was confirmed/;

/**
 * The customer is told that the account was confirmed (app/notifications.ts, payout_account_confirmed):
 * one e-mail to her registered address, never to the one typed on the claim, and one SMS to her
 * registered phone, each with the bank and the masked account; the stream record delivered again
 * sends neither a second time. Returns the e-mail's text and the SMS.
 */
async function expectConfirmedNotice(claimId: string, claimNumber: string) {
  const mails = async () =>
    (await sentEmails(stack.mailUrl)).filter(
      (m) => m.subject.includes(claimNumber) && CONFIRMED_SUBJECT.test(m.subject),
    );
  const texts = async () =>
    (await snsInbox()).filter(
      (m) => m.kind === 'sms' && m.message.includes(claimNumber) && CONFIRMED_SMS.test(m.message),
    );
  const nonEmpty = <T>(xs: T[]) => (xs.length > 0 ? xs : undefined);
  await eventually(async () => nonEmpty(await mails()), 15_000, 100, 'the confirmation e-mail');
  await eventually(async () => nonEmpty(await texts()), 15_000, 100, 'the confirmation SMS');

  // Delivered again (a redelivered stream record): the notices are sent once per event and recipient.
  const claim = await storedClaim(claimId);
  const event = (await eventsOfClaim(claimId)).find((e) => e.type === 'PayoutAccountConfirmed');
  expect(claim && event).toBeTruthy();
  // Retried while the stream's own delivery has not yet marked its notices sent.
  await eventually(() => notifyForEvent(claim!, event!), 10_000, 200, 'the notice delivered again');

  const [mail, ...moreMail] = await mails();
  const [sms, ...moreSms] = await texts();
  expect(moreMail).toEqual([]);
  expect(moreSms).toEqual([]);
  expect(mail?.destination.to).toEqual(['an.nguyen@example.vn']);
  expect(sms?.to).toBe('+84912345678');
  const text = mail?.body?.text ?? mail?.text ?? '';
  expect(text).toContain(ACCOMPLICE_MASK);
  expect(text).toContain('Sacombank');
  expect(text).toMatch(/hãy gọi ngay cho chúng tôi: chúng tôi sẽ giữ khoản chi lại/);
  expect(sms?.message).toContain(ACCOMPLICE_MASK);
  expect(sms?.message).toMatch(/goi ngay de chung toi giu khoan chi/);
  return { text, sms: sms?.message ?? '' };
}

describe('a payout account typed in by staff', () => {
  it('holds the claim’s payment from filing, tells the customer at her registered contact, and is released when she confirms it', async () => {
    const before = (await sentEmails(stack.mailUrl)).length;
    const { claimId, claimNumber } = await fileForAn(dung, 41);
    const staffView = await getClaim(hai, claimId);
    expect(staffView.payoutAccountCheck).toMatchObject({
      status: 'unconfirmed',
      enteredBy: { id: userIdOf('dung.pham'), role: 'adjuster' },
      registered: { email: 'an.nguyen@example.vn', phone: '0912345678' },
    });
    expect(staffView.paymentHold).toMatchObject({ reason: 'payout_account_change' });
    expect(staffView.timeline[0].data).toMatchObject({
      payoutAccountStatus: 'unconfirmed',
      paymentHeld: true,
    });

    // The acknowledgement goes to the registered address, never the one typed on the claim, and
    // names the bank and the masked account with how to confirm or object.
    const ack = await eventually(async () =>
      (await sentEmails(stack.mailUrl))
        .slice(before)
        .find((m) => m.subject.includes(claimNumber) && m.destination.to.includes('an.nguyen@example.vn')),
    );
    const text = ack.body?.text ?? '';
    expect(text).toContain(ACCOMPLICE_MASK);
    expect(text).toContain('Sacombank');
    expect(text).toContain('Đây là tài khoản của tôi');
    expect(text).toMatch(/đừng xác nhận/);
    expect((await sentEmails(stack.mailUrl)).some((m) => m.destination.to.includes(ACCOMPLICE_EMAIL))).toBe(
      false,
    );

    // A colleague (not the filer) approves an advance: its line is written held, and no batch takes it.
    await advance(hai, claimId);
    await expectHeldForAccount(claimId);
    const awaiting = (await (await as('minh.dang')).get('/finance/payouts?status=awaiting&limit=100')).body
      .items as { payoutId: string }[];
    expect(awaiting.some((p) => p.payoutId === `${claimId}-A1`)).toBe(false);

    // The customer sees that the account waits for her, not who typed it.
    const mine = await getClaim(an, claimId);
    expect(mine.payoutAccountCheck).toEqual({ status: 'unconfirmed' });
    expect(mine.report.payoutAccount).toMatchObject({ bankName: 'Sacombank', accountMask: ACCOMPLICE_MASK });

    // Only she confirms: another customer's try reads as not found, staff may not.
    expect((await binh.post(`/claims/${claimId}/payout-account/accept`, {})).status).toBe(404);
    expect((await hai.post(`/claims/${claimId}/payout-account/accept`, {})).status).toBe(403);
    expect(await inQueue(claimId)).toBe(false);

    const ok = await an.post(`/claims/${claimId}/payout-account/accept`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = await getClaim(hai, claimId);
    expect(after.payoutAccountCheck).toMatchObject({ status: 'confirmed', confirmedBy: 'customer' });
    expect(after.paymentHold).toBeUndefined();
    expect((await getPayout(claimId, 1))?.hold).toBeUndefined();
    // Her own word, signed in, waits for nothing.
    expect((await getPayout(claimId, 1))?.notBefore).toBeUndefined();
    expect(await inQueue(claimId)).toBe(true);
    const event = (await getClaim(an, claimId)).timeline.find(
      (e: { type: string }) => e.type === 'PayoutAccountConfirmed',
    );
    expect(event.data).toEqual({ by: 'customer', bankName: 'Sacombank', accountMask: ACCOMPLICE_MASK });
    // She is told at every registered contact that she confirmed it, and to call if she did not.
    const told = await expectConfirmedNotice(claimId, claimNumber);
    expect(told.text).toContain('bởi chính bạn, khi đăng nhập trên ứng dụng');
    expect(told.text).toContain('Nếu không phải bạn xác nhận');
    expect(told.text).toContain('có thể được thực hiện');
    expect(told.sms).toContain('tren ung dung');

    const again = await an.post(`/claims/${claimId}/payout-account/accept`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PAYOUT_ACCOUNT_ALREADY_CONFIRMED');
  });

  it('is verified by phone by a supervisor who did not work on the claim: not the filer, not its handler', async () => {
    const { claimId, claimNumber } = await fileForAn(hai, 43);
    expect((await getClaim(hai, claimId)).payoutAccountCheck).toMatchObject({
      status: 'unconfirmed',
      enteredBy: { id: userIdOf('hai.do'), role: 'supervisor' },
    });
    const c = await getClaim(hai, claimId);
    const assigned = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Tạm ứng cho bên thứ ba',
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await advance(dung, claimId);
    await expectHeldForAccount(claimId);

    const verify = async (
      api: Api,
      note = 'Đã gọi 0912345678 lúc 10:05, khách xác nhận Sacombank 4 số cuối',
    ) =>
      api.post(`/claims/${claimId}/payout-account/verify`, {
        expectedVersion: (await getClaim(hai, claimId)).version,
        note,
      });
    // The filer may not vouch for the account they typed, even as a supervisor.
    const own = await verify(hai);
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'SOD_OWN_VERIFICATION', involvement: ['filed'] });
    // The handler is no supervisor (and worked on it); the customer verifies in her own way.
    expect((await verify(dung)).status).toBe(403);
    expect((await verify(an)).status).toBe(403);
    expect((await verify(verifier, 'ok')).status).toBe(400);
    expect(await inQueue(claimId)).toBe(false);

    const ok = await verify(verifier);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const after = await getClaim(hai, claimId);
    expect(after.payoutAccountCheck).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'phone',
      verifiedBy: { id: verifierId, role: 'supervisor' },
      note: expect.stringContaining('0912345678'),
    });
    expect(after.paymentHold).toBeUndefined();
    const line = await getPayout(claimId, 1);
    expect(line?.hold).toBeUndefined();
    expect(await inQueue(claimId)).toBe(true);
    // One insider's word for another's entry: nothing is paid for a day, so the customer, told at
    // every registered contact, can object first. The queue sorts the line from then, so no batch
    // cut off before it takes it.
    const day = 24 * 3_600_000;
    const verifiedAt = Date.parse(after.payoutAccountCheck.confirmedAt);
    expect(line?.notBefore).toBe(new Date(verifiedAt + day).toISOString());
    const raw = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId, 1), ConsistentRead: true }),
    );
    expect(String(raw.Item?.gsi4sk) >= line!.notBefore!).toBe(true);
    // On the audit trail with the supervisor and the note; the customer sees that it was confirmed.
    const audit = (await verifier.get(`/claims/${claimId}/audit`)).body.events.find(
      (e: { type: string }) => e.type === 'PayoutAccountConfirmed',
    );
    expect(audit).toMatchObject({ actor: { kind: 'staff', id: verifierId }, data: { by: 'phone' } });
    expect(audit.data.note).toContain('khách xác nhận');
    const seen = (await getClaim(an, claimId)).timeline.find(
      (e: { type: string }) => e.type === 'PayoutAccountConfirmed',
    );
    expect(seen.data).toEqual({ by: 'phone', bankName: 'Sacombank', accountMask: ACCOMPLICE_MASK });
    // A supervisor colluding with the filer could record a call that never happened: the customer
    // hears of it at every registered contact at once, with what to do if she spoke with nobody.
    // The note of the call stays with staff.
    const told = await expectConfirmedNotice(claimId, claimNumber);
    expect(told.text).toContain('bởi nhân viên của chúng tôi, sau khi gọi điện cho bạn');
    expect(told.text).toContain('Nếu bạn không nói chuyện với chúng tôi');
    expect(told.text).not.toContain('khách xác nhận');
    expect(told.text).not.toContain(verifierBody.displayName);
    expect(told.sms).toContain('qua dien thoai');
    // She is told until when she can stop it.
    expect(told.text).toMatch(/không sớm hơn \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
    expect(told.sms).toMatch(/giu khoan chi, truoc \d{2}:\d{2}/);
    expect((await an.post(`/claims/${claimId}/payout-account/accept`, {})).status).toBe(409);
  });

  it('never lifts a hold something else placed: the SIU’s stays until it clears the claim', async () => {
    const { claimId, claimNumber } = await fileForAn(dung, 45);
    await advance(hai, claimId);
    const referred = await hai.post(`/claims/${claimId}/siu-referral`, {
      note: 'Khách gọi hỏi về hồ sơ không do mình yêu cầu',
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    await expectHeldForAccount(claimId);

    expect((await an.post(`/claims/${claimId}/payout-account/accept`, {})).status).toBe(200);
    // The account is confirmed; the money stays held, now for the SIU.
    const c = await getClaim(hai, claimId);
    expect(c.payoutAccountCheck.status).toBe('confirmed');
    expect(c.paymentHold).toMatchObject({ reason: 'siu_referral' });
    expect((await getPayout(claimId, 1))?.hold).toMatchObject({ reason: 'siu_referral' });
    expect(await inQueue(claimId)).toBe(false);
    // She is told the account is confirmed, but not that the payment may go ahead, nor why it may not.
    const told = await expectConfirmedNotice(claimId, claimNumber);
    expect(told.text).not.toContain('có thể được thực hiện');
    expect(told.text).not.toMatch(/SIU|điều tra|gian lận/i);

    expect((await nam.post(`/siu/cases/${claimId}/start`, {})).status).toBe(200);
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Khách hàng xác nhận đã nhờ cán bộ lập hồ sơ',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect((await getPayout(claimId, 1))?.hold).toBeUndefined();
    expect(await inQueue(claimId)).toBe(true);
  });

  it('nor an account change she asked for; changing the account herself with the code settles the check', async () => {
    const { claimId, claimNumber } = await fileForAn(dung, 47);
    await advance(hai, claimId);

    // She asks to be paid elsewhere: the payment waits for that code.
    const before = (await sentEmails(stack.mailUrl)).length;
    const asked = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: '19037777654321',
      accountHolder: 'NGUYEN VAN AN',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    await expectHeldForAccount(claimId);
    // Confirming the typed account meanwhile leaves the change's hold standing.
    expect((await an.post(`/claims/${claimId}/payout-account/accept`, {})).status).toBe(200);
    expect((await getClaim(hai, claimId)).paymentHold).toMatchObject({ reason: 'payout_account_change' });
    await expectHeldForAccount(claimId);

    const code = await payoutAccountCode(stack.mailUrl, claimNumber, before);
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
    const line = await getPayout(claimId, 1);
    expect(line?.hold).toBeUndefined();
    expect(line?.account.accountMask).toBe('•••• 4321');

    // Changing it with the code, without confirming the typed one first, settles the check too.
    const other = await fileForAn(dung, 49);
    await advance(hai, other.claimId);
    const sent = (await sentEmails(stack.mailUrl)).length;
    expect(
      (
        await an.post(`/claims/${other.claimId}/payout-account`, {
          bankName: 'Techcombank',
          accountNumber: '19037777654321',
          accountHolder: 'NGUYEN VAN AN',
        })
      ).status,
    ).toBe(202);
    const otherCode = await payoutAccountCode(stack.mailUrl, other.claimNumber, sent);
    expect(
      (await an.post(`/claims/${other.claimId}/payout-account/confirm`, { code: otherCode })).status,
    ).toBe(200);
    const settled = await getClaim(hai, other.claimId);
    expect(settled.payoutAccountCheck).toMatchObject({ status: 'confirmed', confirmedBy: 'account_change' });
    expect(settled.paymentHold).toBeUndefined();
    expect((await getPayout(other.claimId, 1))?.hold).toBeUndefined();
    expect(types(settled)).not.toContain('PayoutAccountConfirmed');
  });
});

describe('a claim made from an e-mail intake record', () => {
  const s3 = new S3Client({ forcePathStyle: true });
  const body = (lossHours: number) =>
    [
      'Kính gửi Phòng Bồi thường,',
      'Tôi là Nguyễn Văn An, số hợp đồng: MOT-2026-0001.',
      'Địa điểm: 123 Láng Hạ, Đống Đa, Hà Nội',
      `Mô tả: Xe tôi bị va chạm khi dừng đèn đỏ, móp cản trước (${lossHours}).`,
      'Số tài khoản: 0123456789',
      'Ngân hàng: Vietcombank',
      'Chủ tài khoản: Nguyễn Văn An',
    ].join('\n');
  /** An intake record linked to an.nguyen's motor policy, from `from` with these verdicts. */
  async function intakeRecord(from: string, lossHours: number, verdict: 'PASS' | 'FAIL' = 'PASS') {
    const messageId = `<intake-${randomUUID()}@example.vn>`;
    const intakeId = intakeIdFor(messageId);
    // Where SES puts a message: the only prefix the intake functions may read (lib/claims-function.ts).
    const rawKey = `${INBOUND_EMAIL_PREFIX}test-${intakeId}`;
    const text = body(lossHours);
    const raw = `From: ${from}\r\nTo: boithuong@baohiem.local\r\nSubject: Yeu cau boi thuong\r\nMessage-ID: ${messageId}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;
    // The record first: the message landing under inbound/ is then a duplicate of it to ReceiveEmail,
    // which leaves it as this test set it (verdicts included).
    await recordReceivedEmail({
      intakeId,
      messageId,
      rawKey,
      receivedAt: new Date().toISOString(),
      from,
      subject: 'Yeu cau boi thuong',
      outcome: 'INTAKE',
      reasons: ['loss_date'],
      verdicts: { spf: verdict, dkim: verdict, dmarc: verdict, spam: 'PASS', virus: 'PASS' },
      text,
      customerId: 'CUS-0001',
      policyNumber: 'MOT-2026-0001',
      attachments: [],
      version: 1,
    });
    await s3.send(new PutObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: rawKey, Body: raw }));
    return intakeId;
  }
  const claimFrom = async (intakeId: string, lossHours: number, extra: Record<string, unknown> = {}) => {
    const r = await hai.post(`/intake-records/${intakeId}/claim`, {
      expectedVersion: 1,
      lossAt: hoursAgo(lossHours),
      cause: 'collision',
      ...extra,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return getClaim(hai, r.body.claim.claimId as string);
  };

  it('holds the payment when staff typed the account, or it did not come from her authenticated registered address', async () => {
    const typed = await claimFrom(await intakeRecord('an.nguyen@example.vn', 51), 51, {
      payoutAccount: ACCOMPLICE,
    });
    expect(typed.payoutAccountCheck).toMatchObject({
      status: 'unconfirmed',
      enteredBy: { id: userIdOf('hai.do') },
    });
    expect(typed.paymentHold).toMatchObject({ reason: 'payout_account_change' });

    const stranger = await claimFrom(await intakeRecord(`la.${suffix}@example.org`, 53), 53);
    expect(stranger.payoutAccountCheck).toMatchObject({ status: 'unconfirmed' });

    const unsigned = await claimFrom(await intakeRecord('an.nguyen@example.vn', 55, 'FAIL'), 55);
    expect(unsigned.payoutAccountCheck).toMatchObject({ status: 'unconfirmed' });

    // Her own signed message's account is hers: nothing to confirm, nothing held.
    const own = await claimFrom(await intakeRecord('an.nguyen@example.vn', 57), 57);
    expect(own.report.payoutAccount.bankName).toBe('Vietcombank');
    expect(own.payoutAccountCheck).toBeUndefined();
    expect(own.paymentHold).toBeUndefined();
  });
});
