import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { getUserByUsername, putUser } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suitePolicies } from '../helpers/suite-policies.ts';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

const stack = useStack();
const as = (username: string) => apiAs(stack.apiUrl, username);
const usernameOf = (userId: string) => DEMO_USERS.find((u) => u.userId === userId)?.username ?? '';
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
const types = (c: { timeline: { type: string }[] }) => c.timeline.map((e) => e.type);

let an: Api;
let binh: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, binh, hai, dung] = await Promise.all([
    as('an.nguyen'),
    as('binh.tran'),
    as('hai.do'),
    as('dung.pham'),
  ]);
});

/** Policies of this suite's own (removed afterwards), so other suites' claims are not its duplicates. */
const policies = suitePolicies('MOT-ASM');
afterAll(() => policies.removeAll());

/** Puts the claim in dung.pham's hands (authority limit 50,000,000 VND) via the supervisor. */
async function assignToDung(claimId: string) {
  const c = await getClaim(hai, claimId);
  const r = await hai.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdOf('dung.pham'),
    reason: 'Đúng địa bàn Hà Nội',
  });
  expect(r.status).toBe(200);
  return getClaim(hai, claimId);
}

const motorItems = (amount: number) => [
  { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: amount, kind: 'repair' },
];

async function assess(api: Api, claimId: string, amount: number) {
  const c = await getClaim(api, claimId);
  const r = await api.post(`/claims/${claimId}/assessment`, {
    expectedVersion: c.version,
    items: motorItems(amount),
    marketValue: 650_000_000,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

describe('straight-through processing', () => {
  it('settles a small, clean, complete claim with no human step', async () => {
    // A policy of its own, so the duplicate check stays quiet.
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      cause: 'glass_breakage',
      lossAt: hoursAgo(60),
      estimatedAmount: { amount: 8_500_000, currency: 'VND' },
    });
    await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
    // Straight-through pays on the amount declared with the repair invoice, not on the estimate.
    await uploadMissingDocuments(an, claimId, 1, { repair_invoice: 8_500_000 });
    const done = await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED');
    // 8,500,000 repair, 10% deductible (minimum 500,000) → 7,650,000.
    expect(done.decision.amount).toEqual({ amount: 7_650_000, currency: 'VND' });
    expect(done.assessment.method).toBe('rule');
    expect(types(done)).toEqual(
      expect.arrayContaining([
        'DossierCompleted',
        'AssessmentRecorded',
        'PayoutCalculated',
        'ClaimApproved',
        'PaymentQueued',
      ]),
    );
    const approved = done.timeline.find((e: { type: string }) => e.type === 'ClaimApproved');
    expect(approved.by).toBe('system');
  });

  it('keeps a claim above the product threshold for a person', async () => {
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      cause: 'storm',
      lossAt: hoursAgo(84),
      estimatedAmount: { amount: 30_000_000, currency: 'VND' },
    });
    await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
    const c = await uploadMissingDocuments(an, claimId, 2);
    const staff = await until(
      hai,
      claimId,
      (x) =>
        x.waitingFor === 'assessment' &&
        x.status === 'UNDER_ASSESSMENT' &&
        !x.straightThrough.reasons.includes('DOSSIER_INCOMPLETE'),
    );
    expect(c.dossierCompleteAt).toBeDefined();
    expect(staff.straightThrough).toMatchObject({
      eligible: false,
      reasons: ['AMOUNT_ABOVE_LIMIT', 'NO_EVIDENCED_AMOUNT'],
    });
  });
});

describe('assessment by an adjuster', () => {
  it('asks for information, resumes on the customer’s answer, assesses and approves within authority', async () => {
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 30_000_000, currency: 'VND' } });
    await until(hai, claimId, parked());
    // Evidence before money: the dossier is complete before anyone approves.
    await uploadMissingDocuments(an, claimId, 11);
    let c = await assignToDung(claimId);

    const ask = await dung.post(`/claims/${claimId}/info-requests`, {
      expectedVersion: c.version,
      message: 'Vui lòng gửi ảnh toàn cảnh hiện trường.',
      documents: ['damage_photos'],
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(201);
    const requestId = ask.body.infoRequest.requestId;
    await until(an, claimId, (x) => x.status === 'INFO_REQUESTED');
    await until(hai, claimId, parked('information'));

    const answer = await an.post(`/claims/${claimId}/info-requests/${requestId}/response`, {
      message: 'Tôi đã tải ảnh lên.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    c = await until(hai, claimId, (x) => x.waitingFor === 'assessment' && x.status === 'UNDER_ASSESSMENT');
    expect(types(c)).toEqual(expect.arrayContaining(['InfoRequested', 'InfoProvided']));

    const assessed = await assess(dung, claimId, 30_000_000);
    expect(assessed.assessment.payable).toEqual({ amount: 27_000_000, currency: 'VND' });
    const steps = assessed.assessment.steps.map((s: { code: string }) => s.code);
    expect(steps).toEqual(expect.arrayContaining(['assessed', 'deductible']));

    c = await getClaim(dung, claimId);
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    const paid = await until(an, claimId, (x) => x.status === 'PAYMENT_QUEUED');
    expect(paid.decision).toMatchObject({ outcome: 'approve', amount: { amount: 27_000_000 } });
    // The customer sees roles, never who.
    expect(JSON.stringify(paid.timeline)).not.toContain(userIdOf('dung.pham'));
  });

  it('sends a payout above the adjuster’s limit to a supervisor, who approves it', async () => {
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 90_000_000, currency: 'VND' } });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 12);
    await assignToDung(claimId);
    await assess(dung, claimId, 90_000_000);
    let c = await getClaim(dung, claimId);
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decide.status).toBe(202);
    expect(decide.body.status).toBe('PENDING_APPROVAL');

    c = await until(hai, claimId, parked('supervisor'));
    const byAdjuster = await dung.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: 'ok',
    });
    expect(byAdjuster.status).toBe(403);
    const approve = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: 'Đồng ý, hồ sơ đầy đủ.',
    });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    const done = await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED');
    expect(done.decision.decidedBy.role).toBe('supervisor');
    expect(done.approvals.at(-1)).toMatchObject({ route: 'supervisor', status: 'approved' });
  });

  it('rejects with written reasons citing the policy clause', async () => {
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 40_000_000, currency: 'VND' } });
    await until(hai, claimId, parked());
    const c = await assignToDung(claimId);
    const noReason = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: c.version,
      reasons: [],
    });
    expect(noReason.status).toBe(400);
    const r = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: c.version,
      reasons: [
        {
          clause: 'Điều 12.3 Quy tắc bảo hiểm xe cơ giới',
          text: 'Lái xe không có giấy phép lái xe hợp lệ tại thời điểm tổn thất.',
        },
      ],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const seen = await until(an, claimId, (x) => x.status === 'REJECTED');
    expect(seen.decision.reasons[0].clause).toContain('Điều 12.3');
  });

  it('does not approve a loss the deductible leaves nothing of: it is rejected with reasons', async () => {
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 400_000, currency: 'VND' } });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 17);
    await assignToDung(claimId);
    // 400,000 of repairs against a 500,000 minimum deductible.
    const assessed = await assess(dung, claimId, 400_000);
    expect(assessed.assessment.payable.amount).toBe(0);
    const c = await getClaim(dung, claimId);
    const approve = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(approve.status).toBe(409);
    expect(approve.body.error).toMatchObject({ code: 'NOTHING_PAYABLE', payable: 0 });
    expect((await getClaim(dung, claimId)).status).toBe('ASSESSED');
  });
});

describe('joint decision on a large loss', () => {
  it('asks the departments in parallel; a rejection sends it back, then the quorum approves', async () => {
    // A total loss uses up the car's sum insured: a policy of its own, not the shared demo one.
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      estimatedAmount: { amount: 600_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 13);
    await assignToDung(claimId);
    // 600M of damage on a 650M car is a total loss (≥ 75%): 650M, deductible waived → above the 500M threshold.
    const assessed = await assess(dung, claimId, 600_000_000);
    expect(assessed.assessment.totalLoss).toBe(true);
    let c = await getClaim(dung, claimId);
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decide.status).toBe(202);
    expect(decide.body.status).toBe('JOINT_REVIEW');

    const [khanh, minh] = await Promise.all([as('khanh.bui'), as('minh.dang')]);
    await until(
      hai,
      claimId,
      (x) => Object.keys(x.approvals?.at(-1) ?? {}).length > 0 && x.status === 'JOINT_REVIEW',
    );
    const vote = (api: Api, department: string, v: string, comment: string) =>
      until(hai, claimId, () => true).then(async () => {
        for (let i = 0; i < 40; i++) {
          const { round } = (await getClaim(hai, claimId)).approvals.at(-1);
          const r = await api.post(`/claims/${claimId}/votes`, { round, department, vote: v, comment });
          if (r.status !== 409 || r.body.error.code !== 'WORKFLOW_NOT_WAITING') return r;
          await new Promise((res) => setTimeout(res, 100));
        }
        throw new Error('the workflow never waited for the vote');
      });

    const uw = await vote(khanh, 'underwriting', 'approve', 'Rủi ro đã được thẩm định đúng.');
    expect(uw.status, JSON.stringify(uw.body)).toBe(200);
    const again = await vote(khanh, 'underwriting', 'approve', 'Lần nữa');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE_VOTE');
    const fin = await vote(minh, 'finance', 'reject', 'Cần đối chiếu giá trị thị trường với bảng giá mới.');
    expect(fin.status).toBe(200);
    c = await until(hai, claimId, (x) => x.status === 'UNDER_ASSESSMENT' && x.waitingFor === 'assessment');
    expect(c.approvals.at(-1).status).toBe('sent_back');
    expect(types(c)).toContain('ClaimSentBack');

    await assess(dung, claimId, 600_000_000);
    c = await getClaim(dung, claimId);
    expect(
      (await dung.post(`/claims/${claimId}/decision`, { outcome: 'approve', expectedVersion: c.version }))
        .status,
    ).toBe(202);
    // An approval read on the first round (the screen still open since) is not a vote on the second.
    await until(hai, claimId, (x) => x.status === 'JOINT_REVIEW' && x.approvals.length === 2);
    const stale = await khanh.post(`/claims/${claimId}/votes`, {
      round: 1,
      department: 'underwriting',
      vote: 'approve',
      comment: 'Đồng ý theo vòng trước.',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', round: 2 });
    // A reviewer the administrator placed in underwriting who also holds the supervisor role speaks
    // for underwriting only, not for the claims department as well.
    const k = (await getUserByUsername('khanh.bui'))!;
    await putUser({ ...k, roles: [...k.roles, 'supervisor'] });
    try {
      const other = await vote(khanh, 'claims', 'approve', 'Thay phòng bồi thường.');
      expect(other.status, JSON.stringify(other.body)).toBe(403);
      expect(other.body.error.code).toBe('FORBIDDEN');
    } finally {
      await putUser(k);
    }
    for (const [api, dept] of [
      [hai, 'claims'],
      [khanh, 'underwriting'],
      [minh, 'finance'],
    ] as const) {
      const r = await vote(api, dept, 'approve', 'Đồng ý.');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    const done = await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED');
    expect(done.approvals).toHaveLength(2);
    expect(done.approvals[1].votes.map((v: { department: string }) => v.department).sort()).toEqual([
      'claims',
      'finance',
      'underwriting',
    ]);
  });
});

describe('roles and concurrency', () => {
  it('keeps customers out of staff routes and finance out of decisions', async () => {
    expect((await an.get('/queue')).status).toBe(403);
    expect((await binh.post('/staff/claims', {})).status).toBe(403);
    const minh = await as('minh.dang');
    const { claimId } = await fileClaim(an);
    expect(
      (await minh.post(`/claims/${claimId}/decision`, { outcome: 'approve', expectedVersion: 1 })).status,
    ).toBe(403);
    expect(
      (await minh.post(`/claims/${claimId}/assignment`, { expectedVersion: 1, staffId: 'x', reason: 'abc' }))
        .status,
    ).toBe(403);
  });

  it('detects a concurrent edit: the second write gets 409 with the current version', async () => {
    const { claimId } = await fileClaim(an, { estimatedAmount: { amount: 35_000_000, currency: 'VND' } });
    await until(hai, claimId, parked());
    const c = await assignToDung(claimId);
    const first = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: motorItems(20_000_000),
      marketValue: 650_000_000,
    });
    expect(first.status).toBe(200);
    const second = await hai.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: motorItems(25_000_000),
      marketValue: 650_000_000,
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('VERSION_CONFLICT');
    expect(second.body.error.currentVersion).toBeGreaterThan(c.version);
    const now = await getClaim(hai, claimId);
    expect(now.assessment.payable.amount).toBe(18_000_000);
  });

  it('an adjuster cannot act on a claim assigned to someone else', async () => {
    const { claimId } = await fileClaim(an);
    await until(hai, claimId, parked());
    const c = await assignToDung(claimId);
    const giang = await as('giang.hoang');
    const r = await giang.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: motorItems(1_000_000),
      marketValue: 650_000_000,
    });
    // Refused for whose claim it is, not for the role (giang is an adjuster), and nothing recorded.
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This claim is assigned to someone else',
    });
    const after = (await hai.get(`/claims/${claimId}`)).body;
    expect(after.version).toBe(c.version);
    expect(after.assessment).toBeUndefined();
    expect(after.status).toBe(c.status);
  });
});

describe('the call centre files for a customer', () => {
  it('records the phone channel and the customer sees it in their list', async () => {
    const r = await hai.post(
      '/staff/claims',
      {
        customerId: 'CUS-0002',
        report: {
          ...(await import('../helpers/factories.ts')).makeClaimRequest({
            policyNumber: 'TRV-2026-0001',
            lossAt: hoursAgo(10),
            cause: 'baggage_loss',
            facts: { kind: 'travel', country: 'Japan', tripStart: '2026-11-01', tripEnd: '2026-11-30' },
          }),
        },
      },
      { 'idempotency-key': `phone-${Date.now()}` },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const mine = await binh.get('/claims');
    expect(mine.body.items.map((x: { claimId: string }) => x.claimId)).toContain(r.body.claimId);
    const c = await getClaim(binh, r.body.claimId);
    expect(c.channel).toBe('phone');
    expect(c.timeline[0].by).toBe('supervisor');
  });
});

describe('the audit trail', () => {
  it('verifies the claim’s hash chain', async () => {
    const { claimId } = await fileClaim(an);
    await until(hai, claimId, parked());
    const r = await hai.get(`/claims/${claimId}/audit`);
    expect(r.status).toBe(200);
    expect(r.body.verdict).toEqual({ ok: true, length: r.body.events.length });
    expect((await an.get(`/claims/${claimId}/audit`)).status).toBe(403);
    expect(usernameOf(r.body.events[0].actor.id ?? '')).toBe('an.nguyen');
  });

  it('notices the newest events removed, though what is left still links up', async () => {
    const { claimId } = await fileClaim(an);
    await until(hai, claimId, parked());
    // Once the claim is quiet (the stream's deadline bookkeeping written), its last event is the last.
    let last = 0;
    for (let seen = -1; seen !== last; await new Promise((ok) => setTimeout(ok, 1500))) {
      seen = last;
      last = (await hai.get(`/claims/${claimId}/audit`)).body.events.length as number;
    }
    // Someone with write access to the table deletes the last event.
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.event(claimId, last) }));
    const after = await hai.get(`/claims/${claimId}/audit`);
    expect(after.body.events).toHaveLength(last - 1);
    expect(after.body.verdict).toEqual({ ok: false, brokenAt: last, reason: 'TAIL_MISSING' });
  });
});
