import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import {
  getPayout,
  holdPayoutForSiu,
  releasePayoutHold,
} from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import type { Policy } from '../../lambdas/core/policy.ts';
import { DEMO_USERS, demoPolicies } from '../../local/demo-data.ts';
import { payoutAccountCode, sentEmails } from '../helpers/email.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * Advance payments on compulsory motor TPL (Decree 67/2023 Art. 14): a real action with its own
 * payout line, meeting the advance-payment deadline, within the reserve and the approver's authority.
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;

/**
 * A copy of the demo TPL policy of this suite's own: the shared one carries every suite's claims,
 * and what they took from its covers would leave a new assessment on it little or nothing to pay.
 */
const policies = suitePolicies('ADV-TPL');
const ownTplPolicy = () => {
  const demo = demoPolicies(new Date()).find((p) => p.policyNumber === 'TPL-2026-0001');
  return policies.put({ ...(demo as Partial<Policy>), insuredValue: undefined });
};
afterAll(() => policies.removeAll());

let an: Api;
let hai: Api;
let dung: Api;
let minh: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
  dung = await apiAs(stack.apiUrl, 'dung.pham');
  minh = await apiAs(stack.apiUrl, 'minh.dang');
});

// Not a round figure: an.nguyen's hundreds of test claims already carry most red flags, and a claim
// filed right after the account-change test below also carries PAYOUT_ACCOUNT_CHANGED; with the
// round-amount flag it reached the test stack's six-flag SIU referral, which holds every advance.
async function tplClaimForDung(hours: number, estimate = 29_350_000, policyNumber = 'TPL-2026-0001') {
  const { claimId, claimNumber } = await fileClaim(an, {
    policyNumber,
    cause: 'third_party_property',
    lossAt: hoursAgo(hours),
    estimatedAmount: { amount: estimate, currency: 'VND' },
  });
  const c = await until(hai, claimId, parked(), 15_000);
  const r = await hai.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdOf('dung.pham'),
    reason: 'Tạm ứng cho bên thứ ba',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { claimId, claimNumber };
}

/** dung approves an advance of `amount` on the claim, at its current version. */
async function advanceByDung(claimId: string, amount: number) {
  const c = await getClaim(dung, claimId);
  const ok = await dung.post(`/claims/${claimId}/advance-payment`, {
    expectedVersion: c.version,
    amount,
    note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
  });
  expect(ok.status, JSON.stringify(ok.body)).toBe(201);
}

describe('advance payment on a compulsory motor TPL claim', () => {
  it('creates its own payout line, meets the advance deadline and stays within the reserve', async () => {
    const { claimId } = await tplClaimForDung(5);
    const c = await getClaim(dung, claimId);
    const reserve = c.classification.reserve.amount as number;
    expect(reserve).toBeGreaterThan(0);

    const tooMuch = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount: reserve + 1,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(tooMuch.status).toBe(400);

    const amount = Math.min(5_000_000, reserve);
    const ok = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);

    const line = await getPayout(claimId, 1);
    expect(line).toMatchObject({ kind: 'advance', amount, status: 'awaiting', payoutId: `${claimId}-A1` });
    expect(JSON.stringify(line)).not.toMatch(/"accountNumber"/);
    // Finance sees it among the payouts awaiting a batch.
    const awaiting = (await minh.get('/finance/payouts?status=awaiting&limit=100')).body.items as {
      payoutId: string;
    }[];
    expect(awaiting.some((p) => p.payoutId === `${claimId}-A1`)).toBe(true);

    // The advance-payment deadline is met by the advance itself.
    await eventually(async () => {
      const d = ((await getClaim(hai, claimId)).deadlines ?? []).find(
        (x: { kind: string }) => x.kind === 'advance_payment',
      );
      return d?.status === 'met' ? d : undefined;
    }, 15_000);
    // The customer sees the advance (amount only) on the timeline.
    const mine = await getClaim(an, claimId);
    expect(mine.timeline.find((e: { type: string }) => e.type === 'AdvancePaymentApproved')?.data).toEqual({
      amount: { amount, currency: 'VND' },
      advance: 1,
    });
  });

  it('bounds a claim’s advances together by the approver’s authority, and a decision must leave something to transfer', async () => {
    const { claimId } = await tplClaimForDung(11, 80_000_000);
    const advance = async (api: Api, amount: number) => {
      const v = await getClaim(api, claimId);
      return api.post(`/claims/${claimId}/advance-payment`, {
        expectedVersion: v.version,
        amount,
        note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
      });
    };
    expect((await getClaim(dung, claimId)).classification.reserve.amount).toBeGreaterThanOrEqual(80_000_000);
    expect((await advance(dung, 30_000_000)).status).toBe(201);
    // dung's limit is 50 million: a second advance of 30 would pay 60 on his word alone.
    const second = await advance(dung, 30_000_000);
    expect(second.status).toBe(403);
    expect(second.body.error).toMatchObject({
      code: 'AUTHORITY_LIMIT_EXCEEDED',
      limit: 50_000_000,
      amount: 60_000_000,
      advanced: 30_000_000,
    });
    expect(await getPayout(claimId, 2)).toBeUndefined();
    expect((await advance(dung, 20_000_000)).status).toBe(201);

    // Assessed at 45 million, below the 50 already advanced: approving it would queue a transfer of
    // nothing (or less), so the decision is refused and a person settles the overpayment.
    const c = await getClaim(dung, claimId);
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe của bên thứ ba',
          coverCode: 'TPL_PROPERTY',
          assessedAmount: 45_000_000,
          kind: 'other',
        },
      ],
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const v = await getClaim(dung, claimId);
    const decided = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: v.version,
    });
    expect(decided.status).toBe(409);
    expect(decided.body.error).toMatchObject({
      code: 'DECISION_BELOW_ADVANCES',
      amount: 45_000_000,
      advanced: 50_000_000,
    });
    expect((await getClaim(hai, claimId)).status).toBe('ASSESSED');
  });

  it('an advance waiting for a batch follows the claim: held with an account change and paid to the confirmed account; held and released with the SIU', async () => {
    const { claimId, claimNumber } = await tplClaimForDung(13);
    await advanceByDung(claimId, 4_000_000);
    // In finance's awaiting queue (the index a batch reads), item by item: the shared stack's queue is long.
    const inQueue = async () => {
      const raw = await dynamo().send(
        new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId, 1), ConsistentRead: true }),
      );
      return raw.Item?.gsi4pk === 'PAYOUTS#AWAITING';
    };
    expect(await inQueue()).toBe(true);

    // The customer changes the payout account: the advance waits for her confirmation too.
    const before = (await sentEmails(stack.mailUrl)).length;
    const asked = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: '19037777123456',
      accountHolder: 'NGUYEN VAN AN',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect((await getPayout(claimId, 1))?.hold).toMatchObject({ reason: 'payout_account_change' });
    expect(await inQueue()).toBe(false);

    const code = await payoutAccountCode(stack.mailUrl, claimNumber, before);
    expect((await an.post(`/claims/${claimId}/payout-account/confirm`, { code })).status).toBe(200);
    const line = await getPayout(claimId, 1);
    expect(line?.hold).toBeUndefined();
    expect(line?.account.accountMask).toBe('•••• 3456');
    expect(await inQueue()).toBe(true);

    // A referral holds it like the final payout; clearing releases it.
    expect(await holdPayoutForSiu(claimId, new Date().toISOString())).toBe(true);
    expect((await getPayout(claimId, 1))?.hold).toMatchObject({ reason: 'siu_referral' });
    expect(await inQueue()).toBe(false);
    await releasePayoutHold(claimId);
    expect((await getPayout(claimId, 1))?.hold).toBeUndefined();
    expect(await inQueue()).toBe(true);
  });

  it('the bank confirms an advance on its own: the customer sees it transferred, the claim is not paid', async () => {
    const { claimId, claimNumber } = await tplClaimForDung(17);
    await advanceByDung(claimId, 3_000_000);
    const awaiting = (await an.get(`/claims/${claimId}`)).body;
    expect(awaiting.advances).toEqual([
      { n: 1, amount: { amount: 3_000_000, currency: 'VND' }, approvedAt: expect.any(String) },
    ]);

    // Finance batches it (with whatever else awaits), a second person releases it, the bank confirms it.
    const oanh = await apiAs(stack.apiUrl, 'oanh.vu');
    const made = await minh.post(
      '/finance/batches',
      { cutoff: new Date().toISOString() },
      { 'idempotency-key': `advance-${claimId}` },
    );
    expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
    const batch = await eventually(async () => {
      const r = await minh.get(`/finance/batches/${made.body.batchId}`);
      return r.body.status !== 'building' ? r.body : undefined;
    }, 30_000);
    expect(batch.status).toBe('prepared');
    expect((await getPayout(claimId, 1))?.batchId).toBe(batch.batchId);
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    const content = [
      'reference,amount,status,reason,bank_ref',
      `${claimNumber}-TU1,3000000,SUCCESS,,FT26TU1`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: `tu-${claimNumber}.csv`, content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ paid: 1, failed: 0 });

    // The advance is marked transferred on the claim; the claim itself is not paid.
    const after = (await an.get(`/claims/${claimId}`)).body;
    expect(after.advances).toEqual([
      {
        n: 1,
        amount: { amount: 3_000_000, currency: 'VND' },
        approvedAt: expect.any(String),
        paidAt: expect.any(String),
      },
    ]);
    expect(after.payment).toBeUndefined();
    expect(after.status).not.toBe('PAID');
    expect(after.timeline.some((e: { type: string }) => e.type === 'PaymentConfirmed')).toBe(false);
  });

  it('pays no more in advance than the covers answering the cause, nor past the joint decision, nor during an approval; and whoever advanced past four eyes does not assess', async () => {
    const advance = (claimId: string, version: number, amount: number, api: Api = hai) =>
      api.post(`/claims/${claimId}/advance-payment`, {
        expectedVersion: version,
        amount,
        note: 'Tạm ứng theo Nghị định 67',
      });
    // Property damage to a third party: the TPL property cover pays at most 100 million a claim,
    // whatever the customer estimates (the reserve follows the estimate).
    const property = await tplClaimForDung(13, 300_000_000);
    let c = await getClaim(hai, property.claimId);
    expect(c.classification.reserve.amount).toBeGreaterThan(100_000_000);
    const pastCover = await advance(property.claimId, c.version, 100_000_001);
    expect(pastCover.status, JSON.stringify(pastCover.body)).toBe(400);
    expect(pastCover.body.error).toMatchObject({ code: 'VALIDATION_FAILED', ceiling: 'cover_limit' });
    // Nor is the loss assessed on the injury cover because its limit is higher.
    const offCause = await dung.post(`/claims/${property.claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe bên thứ ba',
          coverCode: 'TPL_INJURY',
          assessedAmount: 120_000_000,
          kind: 'other',
        },
      ],
    });
    expect(offCause.status).toBe(400);
    expect(offCause.body.error.fields).toEqual([
      expect.objectContaining({ path: 'items.0.coverCode', code: 'cover_not_for_cause' }),
    ]);

    // A collision answers both TPL covers (250 million), but above 150 million the departments decide.
    const { claimId } = await fileClaim(an, {
      policyNumber: 'TPL-2026-0001',
      cause: 'collision',
      lossAt: hoursAgo(14),
      estimatedAmount: { amount: 300_000_000, currency: 'VND' },
    });
    c = await until(hai, claimId, parked(), 15_000);
    const pastJoint = await advance(claimId, c.version, 150_000_001);
    expect(pastJoint.status).toBe(400);
    expect(pastJoint.body.error).toMatchObject({ ceiling: 'joint_decision_threshold' });
    // 120 million in advance on the supervisor's word: more than one person may assess and approve.
    expect((await advance(claimId, c.version, 120_000_000)).status).toBe(201);
    c = await getClaim(hai, claimId);
    const items = [
      {
        description: 'Sửa xe bên thứ ba',
        coverCode: 'TPL_PROPERTY',
        assessedAmount: 90_000_000,
        kind: 'other',
      },
    ];
    const ownAssessment = await hai.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items,
    });
    expect(ownAssessment.status).toBe(403);
    expect(ownAssessment.body.error).toMatchObject({ code: 'SOD_SINGLE_ASSESSOR', advanced: 120_000_000 });

    // A decision waiting for a supervisor: nothing is advanced while what it pays is being agreed.
    const pending = await tplClaimForDung(15, 80_000_000);
    await uploadMissingDocuments(an, pending.claimId, 15);
    c = await until(dung, pending.claimId, parked(), 15_000);
    const assessed = await dung.post(`/claims/${pending.claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe bên thứ ba',
          coverCode: 'TPL_PROPERTY',
          assessedAmount: 60_000_000,
          kind: 'other',
        },
      ],
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const decided = await dung.post(`/claims/${pending.claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, pending.claimId)).version,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(202);
    c = await until(hai, pending.claimId, (x) => x.status === 'PENDING_APPROVAL', 15_000);
    const during = await advance(pending.claimId, c.version, 70_000_000);
    expect(during.status).toBe(409);
    expect(during.body.error.code).toBe('INVALID_TRANSITION');
    expect(await getPayout(pending.claimId, 1)).toBeUndefined();
  });

  it('is refused to customers and on products without advances', async () => {
    const { claimId } = await tplClaimForDung(7);
    const c = await getClaim(hai, claimId);
    const body = { expectedVersion: c.version, amount: 1_000_000, note: 'Tạm ứng thử nghiệm quyền' };
    expect((await an.post(`/claims/${claimId}/advance-payment`, body)).status).toBe(403);
    // A motor own-damage claim has no advance payment.
    const od = await fileClaim(an, { cause: 'flood', lossAt: hoursAgo(9) });
    const odClaim = await until(hai, od.claimId, parked(), 15_000);
    const r = await hai.post(`/claims/${od.claimId}/advance-payment`, {
      ...body,
      expectedVersion: odClaim.version,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ADVANCE_NOT_AVAILABLE');

    // A TPL claim the intake checks stopped (a loss before the policy began): no money in advance
    // while nobody has decided it is covered.
    const early = await fileClaim(an, {
      policyNumber: 'TPL-2026-0001',
      cause: 'third_party_property',
      lossAt: '2026-01-15T10:00:00+07:00',
    });
    const referred = await until(hai, early.claimId, (x) => x.status === 'REFERRED', 15_000);
    const refused = await hai.post(`/claims/${early.claimId}/advance-payment`, {
      ...body,
      expectedVersion: referred.version,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'ADVANCE_CHECKS_UNRESOLVED',
      checks: expect.any(Array),
    });
  });

  it('pays no more in advance than the customer estimates, nor once assessed than the assessed payout', async () => {
    // Injury to a third party: the reserve is 1.5 times the estimate, the estimate is what is claimed.
    const injury = await fileClaim(an, {
      policyNumber: await ownTplPolicy(),
      cause: 'third_party_injury',
      lossAt: hoursAgo(19),
      estimatedAmount: { amount: 20_130_000, currency: 'VND' },
    });
    let c = await until(hai, injury.claimId, parked(), 15_000);
    expect(c.classification.reserve.amount).toBeGreaterThan(25_000_000);
    const pastEstimate = await hai.post(`/claims/${injury.claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount: 25_000_000,
      note: 'Tạm ứng chi phí điều trị',
    });
    expect(pastEstimate.status, JSON.stringify(pastEstimate.body)).toBe(400);
    expect(pastEstimate.body.error).toMatchObject({ code: 'VALIDATION_FAILED', ceiling: 'estimate' });

    // Estimated at 50 million, assessed at 20: an advance of 30 would pay 10 beyond the contract.
    const { claimId } = await tplClaimForDung(21, 50_170_000, await ownTplPolicy());
    c = await getClaim(dung, claimId);
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe bên thứ ba',
          coverCode: 'TPL_PROPERTY',
          assessedAmount: 20_000_000,
          kind: 'other',
        },
      ],
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    c = await getClaim(dung, claimId);
    const payable = c.assessment.payable.amount as number;
    expect(payable).toBeLessThanOrEqual(20_000_000);
    const pastAssessed = await dung.post(`/claims/${claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount: 30_000_000,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(pastAssessed.status, JSON.stringify(pastAssessed.body)).toBe(400);
    expect(pastAssessed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', ceiling: 'assessed' });
    expect(pastAssessed.body.error.fields).toEqual([
      expect.objectContaining({ path: 'amount', code: 'too_big', message: `at most ${payable}` }),
    ]);
    expect(await getPayout(claimId, 1)).toBeUndefined();
  });

  it('a decision its advances paid in full is approved with nothing left to transfer, and the claim is paid when the bank confirms them', async () => {
    const { claimId, claimNumber } = await tplClaimForDung(23, 29_350_000, await ownTplPolicy());
    await advanceByDung(claimId, 3_170_000);
    await uploadMissingDocuments(an, claimId, 23);
    let c = await until(dung, claimId, parked(), 15_000);
    // An inspection booked for later: its reminder is still open when the decision is queued.
    const booked = await dung.post(`/claims/${claimId}/inspections`, {
      expectedVersion: c.version,
      at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      place: 'Gara Thành Công, 120 Trường Chinh, Hà Nội',
    });
    expect(booked.status, JSON.stringify(booked.body)).toBeLessThan(300);
    c = await until(dung, claimId, (x) =>
      x.deadlines.some(
        (d: { kind: string; status: string }) => d.kind === 'inspection_reminder' && d.status === 'open',
      ),
    );
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe bên thứ ba',
          coverCode: 'TPL_PROPERTY',
          assessedAmount: 3_170_000,
          kind: 'other',
        },
      ],
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    c = await getClaim(dung, claimId);
    expect(c.assessment.payable.amount).toBe(3_170_000);
    const decided = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    // Queued with nothing to transfer: no final payout line, the workflow waits for the advance.
    c = await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 15_000);
    expect(c.payment.amount.amount).toBe(0);
    expect(await getPayout(claimId)).toBeUndefined();
    // The transition is on the timeline (amount 0, paid by the advances), and its reaction cancelled
    // every deadline but the payment ones: no reminder of the file fires on a decided claim.
    c = await until(
      hai,
      claimId,
      (x) =>
        x.timeline.some((e: { type: string }) => e.type === 'PaymentQueued') &&
        x.deadlines.every(
          (d: { kind: string; status: string }) =>
            ['payment', 'advance_payment'].includes(d.kind) || !['open', 'at_risk'].includes(d.status),
        ),
      15_000,
    ).catch(() => getClaim(hai, claimId));
    const queued = c.timeline.find((e: { type: string }) => e.type === 'PaymentQueued');
    expect(queued?.data).toMatchObject({ amount: { amount: 0 }, paidByAdvances: true });
    expect(
      c.deadlines.filter(
        (d: { kind: string; status: string }) =>
          !['payment', 'advance_payment'].includes(d.kind) && ['open', 'at_risk'].includes(d.status),
      ),
    ).toEqual([]);
    expect(
      c.timeline.filter(
        (e: { type: string; data?: { reason?: string } }) =>
          e.type === 'DeadlineCancelled' && e.data?.reason === 'payment_queued',
      ).length,
    ).toBeGreaterThan(0);
    // The customer hears the decision (the approval letter), and no "payment of ₫0 on its way".
    const mail = await eventually(async () => {
      const about = (await sentEmails(stack.mailUrl)).filter((m) => m.subject.includes(claimNumber));
      return about.some((m) => m.subject.includes('chấp thuận')) ? about : undefined;
    }, 20_000);
    expect(mail.filter((m) => m.subject.includes('lệnh chi'))).toEqual([]);

    // The bank confirms the advance: the claim is paid.
    const oanh = await apiAs(stack.apiUrl, 'oanh.vu');
    const made = await minh.post(
      '/finance/batches',
      { cutoff: new Date().toISOString() },
      { 'idempotency-key': `advance-settles-${claimId}` },
    );
    expect(made.status, JSON.stringify(made.body)).toBeLessThan(300);
    const batch = await eventually(async () => {
      const r = await minh.get(`/finance/batches/${made.body.batchId}`);
      return r.body.status !== 'building' ? r.body : undefined;
    }, 30_000);
    expect((await getPayout(claimId, 1))?.batchId).toBe(batch.batchId);
    expect((await oanh.post(`/finance/batches/${batch.batchId}/release`, {})).status).toBe(200);
    const content = [
      'reference,amount,status,reason,bank_ref',
      `${claimNumber}-TU1,3170000,SUCCESS,,FT26TS1`,
    ].join('\n');
    const r = await oanh.post('/finance/reconciliations', { fileName: `ts-${claimNumber}.csv`, content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const paid = await until(hai, claimId, (x) => x.status === 'PAID', 20_000);
    expect(paid.payment).toMatchObject({ amount: { amount: 0 }, paidAt: expect.any(String) });
    expect(paid.timeline.some((e: { type: string }) => e.type === 'ClaimPaid')).toBe(true);
    expect(await getPayout(claimId)).toBeUndefined();
  });

  it('a claim the intake checks referred is paid only on a supervisor’s word, and never in advance', async () => {
    // A loss before the policy began: referred, then assessed by the adjuster it was given to.
    const early = await fileClaim(an, {
      policyNumber: await ownTplPolicy(),
      cause: 'third_party_property',
      lossAt: '2026-01-15T10:00:00+07:00',
      estimatedAmount: { amount: 9_430_000, currency: 'VND' },
    });
    let c = await until(
      hai,
      early.claimId,
      (x) => x.status === 'REFERRED' && x.waitingFor === 'assessment',
      15_000,
    );
    const blocking = (c.checks as { code: string; severity: string }[])
      .filter((x) => x.severity === 'block')
      .map((x) => x.code);
    expect(blocking).toContain('POLICY_NOT_IN_FORCE');
    const assigned = await hai.post(`/claims/${early.claimId}/assignment`, {
      expectedVersion: c.version,
      staffId: userIdOf('dung.pham'),
      reason: 'Xem xét hồ sơ bị chuyển',
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await uploadMissingDocuments(an, early.claimId, 29);
    c = await getClaim(dung, early.claimId);
    const assessed = await dung.post(`/claims/${early.claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        {
          description: 'Sửa xe bên thứ ba',
          coverCode: 'TPL_PROPERTY',
          assessedAmount: 8_210_000,
          kind: 'other',
        },
      ],
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    c = await getClaim(dung, early.claimId);
    expect(c.status).toBe('ASSESSED');

    // Out of REFERRED, the checks still stand: no advance.
    const advance = await dung.post(`/claims/${early.claimId}/advance-payment`, {
      expectedVersion: c.version,
      amount: 2_000_000,
      note: 'Tạm ứng chi phí sửa xe cho bên thứ ba',
    });
    expect(advance.status, JSON.stringify(advance.body)).toBe(409);
    expect(advance.body.error).toMatchObject({ code: 'ADVANCE_CHECKS_UNRESOLVED', checks: blocking });
    expect(await getPayout(early.claimId, 1)).toBeUndefined();

    // Well within the adjuster's limit, the approval still goes to a supervisor.
    const decided = await dung.post(`/claims/${early.claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(202);
    c = await until(hai, early.claimId, (x) => x.status === 'PENDING_APPROVAL', 15_000);
    const asked = c.timeline.find((e: { type: string }) => e.type === 'ApprovalRequested');
    expect(asked?.data).toMatchObject({ route: 'supervisor', blockingChecks: blocking });

    // The supervisor's comment is the reason the checks are overridden, on the approval.
    c = await until(hai, early.claimId, parked('supervisor'), 15_000);
    const reason = 'Hợp đồng được gia hạn trước ngày tổn thất; xác nhận của bộ phận khai thác';
    const approved = await hai.post(`/claims/${early.claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: reason,
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    c = await until(hai, early.claimId, (x) => x.status !== 'PENDING_APPROVAL', 15_000);
    const approval = c.timeline.find((e: { type: string }) => e.type === 'ClaimApproved');
    expect(approval?.data).toMatchObject({ comment: reason, overriddenChecks: blocking });
  });
});
