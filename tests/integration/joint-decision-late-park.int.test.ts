import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { getClaim as readClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { parkClaim } from '../../lambdas/app/workflow-wait.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { type Api, signIn, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * A department's branch of the joint decision parks through ParkClaim, whose Lambda may run late (a
 * retried or slow invocation): by then its round may have been sent back and followed by another,
 * or decided. A late park must neither take the place of the token the open round's branch stored
 * nor wait for a vote nobody will cast. The real workflow runs on the local stack; the late ParkClaim
 * is the use case the Lambda runs, called here with the token the earlier branch was given.
 */
const stack = useStack();
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
/** A total loss uses up a car's sum insured: each on a policy of the suite's own, not the shared demo one. */
const policies = suitePolicies('MOT-JLP');
afterAll(() => policies.removeAll());

let an: Api;
let hai: Api;
let dung: Api;
let khanh: Api;
let minh: Api;
beforeAll(async () => {
  [an, hai, dung, khanh, minh] = await signIn('an.nguyen', 'hai.do', 'dung.pham', 'khanh.bui', 'minh.dang');
});

/** Total loss of a 650M car (above MOTOR_OD's 500M joint threshold), decided by dung.pham: JOINT_REVIEW. */
async function toJointReview(claimId: string) {
  let c = await getClaim(hai, claimId);
  expect(
    (
      await hai.post(`/claims/${claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: userIdOf('dung.pham'),
        reason: 'Đúng địa bàn Hà Nội',
      })
    ).status,
  ).toBe(200);
  await assess(claimId);
  c = await getClaim(dung, claimId);
  const decided = await dung.post(`/claims/${claimId}/decision`, {
    outcome: 'approve',
    expectedVersion: c.version,
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(202);
  expect(decided.body.status).toBe('JOINT_REVIEW');
}

async function assess(claimId: string) {
  const c = await getClaim(dung, claimId);
  const assessed = await dung.post(`/claims/${claimId}/assessment`, {
    expectedVersion: c.version,
    items: [
      { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: 600_000_000, kind: 'repair' },
    ],
    marketValue: 650_000_000,
  });
  expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
}

/** The claim as stored, once every department's branch of the open round has parked. */
async function allParked(claimId: string, round: number) {
  return until(hai, claimId, () => true).then(async () => {
    for (let i = 0; i < 100; i++) {
      const c = await readClaim(claimId);
      if (c?.approvals?.at(-1)?.round === round && Object.keys(c.voteTokens ?? {}).length === 3) return c;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`the departments of round ${round} never all parked`);
  });
}

const vote = async (api: Api, claimId: string, department: string, v: 'approve' | 'reject') => {
  const { round } = (await getClaim(hai, claimId)).approvals.at(-1);
  const r = await api.post(`/claims/${claimId}/votes`, {
    round,
    department,
    vote: v,
    comment: 'Đã xem xét hồ sơ.',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

/** The workflow signals recorded for the claim (the outbox), delivered or not. */
async function signalsOf(claimId: string) {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: stack.env.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.claim(claimId).pk, ':sk': 'SIGNAL#' },
    }),
  );
  return (r.Items ?? []).map((i) => i.signal as { kind: string; token?: string; output?: unknown });
}

describe('a department that parks late in a joint decision', () => {
  it('does not replace the open round’s token with its own, so the round still pays once approved', async () => {
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      estimatedAmount: { amount: 600_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 13);
    await toJointReview(claimId);
    // Round 1: finance's branch got this token; its ParkClaim will come back late.
    const first = await allParked(claimId, 1);
    const lateToken = first.voteTokens!.finance!;

    // Underwriting sends round 1 back; the adjuster asks again: round 2, every branch parked anew.
    await vote(khanh, claimId, 'underwriting', 'reject');
    await until(hai, claimId, (x) => x.status === 'UNDER_ASSESSMENT' && x.waitingFor === 'assessment');
    await assess(claimId);
    const c = await getClaim(dung, claimId);
    expect(
      (await dung.post(`/claims/${claimId}/decision`, { outcome: 'approve', expectedVersion: c.version }))
        .status,
    ).toBe(202);
    const second = await allParked(claimId, 2);
    expect(second.voteTokens!.finance).not.toBe(lateToken);

    // Round 1's finance ParkClaim runs now. It is released at once and leaves round 2's token alone.
    await parkClaim(
      { claimId, taskToken: lateToken, waitingFor: 'department', department: 'finance', round: 1 },
      systemClock,
    );
    expect((await readClaim(claimId))?.voteTokens).toEqual(second.voteTokens);
    expect(await signalsOf(claimId)).toContainEqual(
      expect.objectContaining({
        kind: 'resume',
        token: lateToken,
        output: { department: 'finance', vote: 'not_required' },
      }),
    );

    // Every department approves round 2 (MOTOR_OD's quorum is all three): the payment is queued.
    await vote(hai, claimId, 'claims', 'approve');
    await vote(khanh, claimId, 'underwriting', 'approve');
    await vote(minh, claimId, 'finance', 'approve');
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
  });

  it('is released at once when the quorum was reached before it parked', async () => {
    const { claimId } = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      estimatedAmount: { amount: 600_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 13);
    await toJointReview(claimId);
    await allParked(claimId, 1);
    await vote(hai, claimId, 'claims', 'approve');
    await vote(khanh, claimId, 'underwriting', 'approve');
    await vote(minh, claimId, 'finance', 'approve');
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);

    // A branch parking now (a product whose quorum is less than its departments, as HEALTH's 2 of
    // 3, leaves one unvoted) would wait for a vote the closed round no longer takes.
    await parkClaim(
      { claimId, taskToken: 'late-finance-token', waitingFor: 'department', department: 'finance', round: 1 },
      systemClock,
    );
    expect((await readClaim(claimId))?.voteTokens ?? {}).toEqual({});
    expect(await signalsOf(claimId)).toContainEqual(
      expect.objectContaining({
        kind: 'resume',
        token: 'late-finance-token',
        output: { department: 'finance', vote: 'not_required' },
      }),
    );
  });
});
