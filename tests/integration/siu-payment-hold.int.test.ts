import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { assignPayoutToBatch, getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { assignTo, fileClaim, getClaim, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { payoutAccountCode, sentEmails } from '../helpers/email.ts';
import { approvedBy, secondAdmin } from '../helpers/four-eyes.ts';
import { type Api, apiAs, signIn, useStack } from '../helpers/stack.ts';
import { dayFifteenOf, seedRedFlags, suitePolicies } from '../helpers/suite-policies.ts';

/**
 * A referred claim's money does not move while the SIU holds it, at any point it could: the
 * decision path (approval queues a held payout), batch building (a held payout is never taken),
 * an advance payment (refused). Cleared, the payout returns to the awaiting queue; confirmed, the
 * decision path only accepts a rejection.
 */
let an: Api;
let hai: Api;
let dung: Api;
let nam: Api;
const policies = suitePolicies('MOT-HLD');
beforeAll(async () => {
  let binh: Api;
  [an, hai, dung, nam, binh] = await signIn('an.nguyen', 'hai.do', 'dung.pham', 'nam.ly', 'binh.tran');
  await seedRedFlags(policies, { an, binh, hai });
}, 60_000);
afterAll(() => policies.removeAll());

/** Re-assessed above dung's 50 million and approved by him: the approval goes to a supervisor. */
async function askSupervisorApproval(claimId: string) {
  const reassessed = await dung.post(`/claims/${claimId}/assessment`, {
    expectedVersion: (await getClaim(dung, claimId)).version,
    items: [{ description: 'Thay cụm đầu xe', coverCode: 'OD', assessedAmount: 70_000_000, kind: 'repair' }],
    marketValue: 650_000_000,
  });
  expect(reassessed.status, JSON.stringify(reassessed.body)).toBe(200);
  const asked = await dung.post(`/claims/${claimId}/decision`, {
    outcome: 'approve',
    expectedVersion: (await getClaim(dung, claimId)).version,
  });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
}

/** Day 15 of a policy that started 16 days ago and ends in 10, 9,800,000 claimed: referred. */
async function referredClaim() {
  const { claimId } = await fileClaim(an, {
    policyNumber: await policies.running(16, 10),
    cause: 'collision',
    lossAt: dayFifteenOf(16),
    estimatedAmount: { amount: 9_800_000, currency: 'VND' },
  });
  await until(hai, claimId, parked(), 15_000);
  await uploadMissingDocuments(an, claimId, Math.floor(Math.random() * 250), { repair_invoice: 7_000_000 });
  const c = await until(
    hai,
    claimId,
    (x) => x.siu?.status === 'referred' && x.dossierCompleteAt && x.waitingFor === 'assessment',
    20_000,
  );
  expect(c.paymentHold).toMatchObject({ reason: 'siu_referral' });
  const assign = await assignTo(hai, claimId, 'dung.pham', 'Đúng địa bàn Hà Nội');
  expect(assign.status, JSON.stringify(assign.body)).toBe(200);
  const assessed = await dung.post(`/claims/${claimId}/assessment`, {
    expectedVersion: (await getClaim(dung, claimId)).version,
    items: [
      { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: 7_000_000, kind: 'repair' },
    ],
    marketValue: 650_000_000,
  });
  expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
  return claimId;
}

/** A new member of staff with these roles, approved by the second administrator; signed in. */
async function newStaff(roles: string[], displayName: string, authorityLimit = 50_000_000) {
  const admin = await apiAs(useStack().apiUrl, 'admin');
  const username = `sod.${randomUUID().slice(0, 8)}`;
  const proposed = await admin.raw('/admin/staff/new', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      displayName,
      email: `${username}@insurer.example.vn`,
      roles,
      skills: ['motor'],
      regions: ['Hà Nội'],
      authorityLimit,
      active: true,
    }),
  });
  // A new account is a grant: a second administrator approves it (core/admin-changes.ts).
  const created = await approvedBy((await secondAdmin(useStack().apiUrl)).api, proposed);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { api: await apiAs(useStack().apiUrl, username), userId: created.body.userId as string };
}

/** The label the SIU's training export gives the claim (undefined: not in the file). */
async function exportedLabel(claimNumber: string): Promise<string | undefined> {
  const csv = await nam.get('/siu/export');
  expect(csv.status).toBe(200);
  const row = (csv.body as string).split('\n').find((r) => r.startsWith(`${claimNumber},`));
  return row?.trim().split(',').at(-1);
}

const inAwaitingQueue = async (claimId: string) => {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId) }));
  return r.Item?.gsi4pk === 'PAYOUTS#AWAITING';
};

describe('a referred claim’s money', () => {
  it('is held through approval, batch building and advances, and released once the SIU clears it', async () => {
    const claimId = await referredClaim();

    // An advance is money too: refused while the SIU holds the claim.
    const advance = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: (await getClaim(dung, claimId)).version,
      amount: 1_000_000,
      note: 'Tạm ứng chi phí sửa chữa khẩn cấp',
    });
    expect(advance.status, JSON.stringify(advance.body)).toBe(409);
    expect(advance.body.error.code).toBe('SIU_PAYMENT_HELD');

    // The decision may be made, but the payout it queues is held: out of the awaiting queue.
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
    const held = await getPayout(claimId);
    expect(held).toMatchObject({ status: 'awaiting', hold: { reason: 'siu_referral' } });
    expect(await inAwaitingQueue(claimId)).toBe(false);
    // A batch being built that read it before the hold still cannot take it.
    expect(await assignPayoutToBatch(held!, `HOLD-TEST-${randomUUID().slice(0, 8)}`)).toBe(false);
    expect((await getPayout(claimId))?.batchId).toBeUndefined();

    // Cleared: the payout returns to the awaiting queue, for the next batch.
    expect((await nam.post(`/siu/cases/${claimId}/start`, {})).status).toBe(200);
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Garage and invoice verified with the repairer',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect((await getPayout(claimId))?.hold).toBeUndefined();
    expect(await inAwaitingQueue(claimId)).toBe(true);
  }, 120_000);

  it('cleared while a new payout account waits for its code: the payout waits for the code, then goes to the new account', async () => {
    const claimId = await referredClaim();
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    const { claimNumber } = await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
    expect(await getPayout(claimId)).toMatchObject({ hold: { reason: 'siu_referral' } });
    // The customer asks for another account; the SIU clears the claim before she enters the code.
    const before = (await sentEmails(useStack().mailUrl)).length;
    const asked = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: '19037777654321',
      accountHolder: 'NGUYEN VAN AN',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Đã xác minh',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    // Not paid to the old account meanwhile: held for the code.
    expect((await getClaim(hai, claimId)).paymentHold).toMatchObject({ reason: 'payout_account_change' });
    expect(await getPayout(claimId)).toMatchObject({ hold: { reason: 'payout_account_change' } });
    expect(await inAwaitingQueue(claimId)).toBe(false);
    const code = await payoutAccountCode(useStack().mailUrl, claimNumber, before);
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
    const line = await getPayout(claimId);
    expect(line?.hold).toBeUndefined();
    expect(line?.account.accountMask).toBe('•••• 4321');
    expect(await inAwaitingQueue(claimId)).toBe(true);
  }, 120_000);

  it('is released by an SIU reviewer who did not work on the claim, never by its handler', async () => {
    const claimId = await referredClaim();
    // A member of staff who is both an adjuster and an SIU reviewer, handling this claim.
    const { api: both, userId } = await newStaff(['adjuster', 'siu'], 'Kiểm Thử Hai Vai');
    const assigned = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      staffId: userId,
      reason: 'Kiểm thử phân tách nhiệm vụ',
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    // Nor does the handler take the investigation.
    const start = await both.post(`/siu/cases/${claimId}/start`, {});
    expect(start.status, JSON.stringify(start.body)).toBe(403);
    expect(start.body.error).toMatchObject({ code: 'SOD_OWN_CASE', involvement: ['handler'] });
    const own = await both.post(`/siu/cases/${claimId}/outcome`, { outcome: 'cleared', note: 'Tôi thấy ổn' });
    expect(own.status).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'SOD_OWN_CASE', involvement: ['handler'] });
    expect((await getClaim(hai, claimId)).paymentHold).toMatchObject({ reason: 'siu_referral' });
    // Moved off the claim, they handled it all the same.
    const movedOff = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      staffId: (await dung.get('/me')).body.userId,
      reason: 'Trả lại người xử lý trước',
    });
    expect(movedOff.status, JSON.stringify(movedOff.body)).toBe(200);
    const former = await both.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Giờ thì ổn',
    });
    expect(former.status).toBe(403);
    expect(former.body.error).toMatchObject({ code: 'SOD_OWN_CASE', involvement: ['former_handler'] });
    // Another reviewer may.
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Đã xác minh',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
  }, 120_000);

  it('confirmed while a supervisor’s approval is pending: the supervisor cannot approve it either', async () => {
    const claimId = await referredClaim();
    await askSupervisorApproval(claimId);
    const pending = await until(
      hai,
      claimId,
      (x) => x.status === 'PENDING_APPROVAL' && x.waitingFor === 'supervisor',
    );
    const confirmed = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'confirmed',
      note: 'Hoá đơn giả',
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const approved = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      approve: true,
      comment: 'Đồng ý',
    });
    expect(approved.status).toBe(409);
    expect(approved.body.error.code).toBe('SIU_HOLD');
    // Sending it back stays open, so that the handler can reject it.
    const back = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      approve: false,
      comment: 'SIU xác nhận trục lợi: từ chối',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(pending.version).toBeLessThan((await getClaim(hai, claimId)).version);
  }, 120_000);

  it('cleared by a supervisor who is also an SIU reviewer: another supervisor approves its payout', async () => {
    const claimId = await referredClaim();
    await askSupervisorApproval(claimId);
    await until(hai, claimId, (x) => x.status === 'PENDING_APPROVAL' && x.waitingFor === 'supervisor');
    const { api: both, userId } = await newStaff(
      ['supervisor', 'siu'],
      'Kiểm Thử Giám Sát SIU',
      1_000_000_000,
    );
    const cleared = await both.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Đã xác minh với garage',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    const own = await both.post(`/claims/${claimId}/approval`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      approve: true,
      comment: 'Đồng ý',
    });
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(own.body.error.code).toBe('SOD_SIU_REVIEWER');
    expect((await getClaim(hai, claimId)).controls.sod.siuReviewers).toEqual([userId]);
    const approved = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: (await getClaim(hai, claimId)).version,
      approve: true,
      comment: 'Đồng ý',
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  }, 180_000);

  it('stays confirmed when the confirming reviewer refers the claim again: only a third person overturns it', async () => {
    const claimId = await referredClaim();
    const confirmed = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'confirmed',
      note: 'Hoá đơn trùng với hồ sơ khác',
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const { claimNumber } = await getClaim(hai, claimId);
    expect(await exportedLabel(claimNumber)).toBe('1');

    // The reviewer who confirmed it refers it again: a new case opens, the finding is kept.
    const again = await nam.post(`/claims/${claimId}/siu-referral`, { note: 'Xem xét lại kết luận' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.siu).toMatchObject({
      status: 'referred',
      history: [{ status: 'closed', outcome: 'confirmed', note: 'Hoá đơn trùng với hồ sơ khác' }],
    });
    expect(again.body.paymentHold).toMatchObject({ reason: 'siu_referral' });
    // …and cannot clear it: they confirmed it and referred it again.
    const own = await nam.post(`/siu/cases/${claimId}/outcome`, { outcome: 'cleared', note: 'Đã xong' });
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(own.body.error).toMatchObject({
      code: 'SOD_OWN_CASE',
      involvement: ['referred', 'closed_before'],
    });
    // While the new case is open the finding still stands: no approval, and the label stays 1.
    const approve = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(approve.status, JSON.stringify(approve.body)).toBe(409);
    expect(approve.body.error.code).toBe('SIU_HOLD');
    expect(await exportedLabel(claimNumber)).toBe('1');

    // Another SIU reviewer overturns it, with the reason: recorded, the hold lifted, labelled 0.
    const { api: second } = await newStaff(['siu'], 'Kiểm Thử SIU Hai');
    const overturned = await second.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Hoá đơn gốc đã được garage xác nhận',
    });
    expect(overturned.status, JSON.stringify(overturned.body)).toBe(200);
    expect(overturned.body.siu).toMatchObject({
      status: 'closed',
      outcome: 'cleared',
      overturned: { closedBy: { id: (await nam.get('/me')).body.userId } },
    });
    expect(overturned.body.paymentHold).toBeNull();
    expect(await exportedLabel(claimNumber)).toBe('0');
    const approved = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  }, 180_000);

  it('cleared, is referred again and held when a new red flag appears: the payout moved to another account', async () => {
    const claimId = await referredClaim();
    const cleared = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'cleared',
      note: 'Garage và hoá đơn đã xác minh',
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    const flagsAtClose = (await getClaim(hai, claimId)).fraudIndicators.map((f: { code: string }) => f.code);
    expect(flagsAtClose).not.toContain('PAYOUT_ACCOUNT_CHANGED');
    expect(cleared.body.paymentHold).toBeNull();

    // The customer moves the payout to another account: the rescore carries a flag the SIU never saw.
    const asked = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: '19038888765432',
      accountHolder: 'NGUYEN VAN AN',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const again = await until(hai, claimId, (x) => x.siu?.status === 'referred', 20_000);
    expect(again.siu.reasons).toContain('PAYOUT_ACCOUNT_CHANGED');
    expect(again.siu.history).toMatchObject([{ status: 'closed', outcome: 'cleared', flagsAtClose }]);
    expect(again.timeline.filter((e: { type: string }) => e.type === 'ClaimReferredToSiu').length).toBe(2);
    expect(again.paymentHold).toBeDefined();
    // With the SIU again, its indicators hold the claim for a person, and its money stays put.
    expect((await getClaim(hai, claimId)).straightThrough?.eligible).not.toBe(true);
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
    expect((await getPayout(claimId))?.hold).toBeDefined();
    expect(await inAwaitingQueue(claimId)).toBe(false);
    // The code confirms the new account, yet the SIU still holds the payment.
    const { claimNumber } = await getClaim(hai, claimId);
    const code = await payoutAccountCode(useStack().mailUrl, claimNumber, 0);
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
    expect((await getClaim(hai, claimId)).paymentHold).toMatchObject({ reason: 'siu_referral' });
    expect(await getPayout(claimId)).toMatchObject({ hold: { reason: 'siu_referral' } });
    expect(await inAwaitingQueue(claimId)).toBe(false);
  }, 180_000);

  it('can only be refused once the SIU confirms the indicators', async () => {
    const claimId = await referredClaim();
    const confirmed = await nam.post(`/siu/cases/${claimId}/outcome`, {
      outcome: 'confirmed',
      note: 'Same invoice filed by another customer',
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const approve = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('SIU_HOLD');
    const advance = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: (await getClaim(dung, claimId)).version,
      amount: 1_000_000,
      note: 'Tạm ứng chi phí sửa chữa khẩn cấp',
    });
    expect(advance.body.error?.code).toBe('SIU_PAYMENT_HELD');

    const reject = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: (await getClaim(dung, claimId)).version,
      reasons: [
        { clause: 'Điều 22 Luật KDBH', text: 'Hóa đơn sửa chữa trùng với hồ sơ của khách hàng khác.' },
      ],
    });
    expect(reject.status, JSON.stringify(reject.body)).toBe(200);
    await until(hai, claimId, (x) => x.status === 'REJECTED', 20_000);
    expect(await getPayout(claimId)).toBeUndefined();
  }, 120_000);
});
