import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo, type MeteredRequest, meterRequests } from '../../lambdas/adapters/aws-clients.ts';
import { createClaim, eventsOfClaim, getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { assignPayoutToBatch, getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { financeKeys, keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { queuePayment } from '../../lambdas/app/payment.ts';
import { sealPayoutAccount } from '../../lambdas/app/sealed-account.ts';
import { referToSiu } from '../../lambdas/app/siu.ts';
import type { Caller } from '../../lambdas/core/caller.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import { formatClaimNumber } from '../../lambdas/core/claim-number.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { userIdFor } from '../../local/demo-data.ts';
import { makeClaim } from '../helpers/factories.ts';
import { useStack } from '../helpers/stack.ts';

/**
 * QueuePayment writes the payout line in the claim's transaction, so a referral to the SIU cannot
 * fall between the claim saying PAYMENT_QUEUED and the line existing: whichever order the two
 * commit in, the line is held. Batch building checks the claim too, so a line that a hold never
 * reached is not paid. The steps are called directly and their order forced by pausing one right
 * after a request of its was answered, against the local DynamoDB.
 */
beforeAll(() => {
  useStack();
});
afterEach(() => {
  vi.restoreAllMocks();
  meterRequests(undefined);
});

const hai: Caller = { userId: userIdFor('hai.do'), username: 'hai.do', roles: ['supervisor'], locale: 'vi' };
const refer = (claimId: string) =>
  referToSiu(hai, claimId, { note: 'Khách hàng gọi báo không đổi tài khoản' }, systemClock);

/** An approved claim stored directly (no workflow runs it), its payout account sealed as filing does. */
async function approvedClaim(): Promise<Claim> {
  const claimId = randomBytes(13).toString('hex');
  const base = makeClaim();
  const now = new Date().toISOString();
  const claim = makeClaim({
    claimId,
    claimNumber: formatClaimNumber(2080 + randomInt(9), randomInt(1_000_000)),
    status: 'APPROVED',
    submittedAt: now,
    updatedAt: now,
    report: {
      ...base.report,
      payoutAccount: await sealPayoutAccount(claimId, {
        bankName: 'Vietcombank',
        accountNumber: `0011${randomInt(10_000_000, 99_999_999)}`,
        accountHolder: 'NGUYEN VAN AN',
      }),
    },
    decision: {
      outcome: 'approve',
      amount: { amount: 7_000_000, currency: 'VND' },
      reasons: [],
      decidedAt: now,
      decidedBy: { id: userIdFor('dung.pham'), role: 'adjuster' },
    },
  });
  await createClaim(claim, []);
  return claim;
}

/**
 * Runs `then` once, right after the first request `picked` chooses was answered and before the step
 * that sent it sees the answer: that step is paused exactly there while another one runs.
 */
function pauseAfter(picked: (command: unknown) => boolean, then: () => Promise<unknown>) {
  const client = dynamo();
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let fired = false;
  vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
    const answer = await send(command);
    if (!fired && picked(command)) {
      fired = true;
      await then();
    }
    return answer;
  }) as typeof client.send);
}

/** The transaction that saves the claim as PAYMENT_QUEUED. */
const queuedWrite = (claimId: string) => (command: unknown) => {
  if (!(command instanceof TransactWriteCommand)) return false;
  const item = command.input.TransactItems?.[0]?.Put?.Item;
  return item?.pk === keys.claim(claimId).pk && item?.status === 'PAYMENT_QUEUED';
};

/** The strongly consistent read of the claim that a read-modify-write starts from. */
const claimRead = (claimId: string) => (command: unknown) =>
  command instanceof GetCommand && command.input.Key?.pk === keys.claim(claimId).pk;

const inAwaitingQueue = async (claimId: string) => {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId) }));
  return r.Item?.gsi4pk === 'PAYOUTS#AWAITING';
};

const testBatch = () => `HOLD-TEST-${randomUUID().slice(0, 8)}`;

describe('a claim referred to the SIU while its payment is queued', () => {
  it('has its payout held when the referral commits right after the claim says PAYMENT_QUEUED', async () => {
    const { claimId } = await approvedClaim();
    // Before the fix the line was written after this point: the referral's hold found no line, and
    // the line written then went to the awaiting queue unheld.
    pauseAfter(queuedWrite(claimId), () => refer(claimId));
    expect(await queuePayment(claimId, systemClock)).toMatchObject({ status: 'PAYMENT_QUEUED' });

    const claim = await getClaim(claimId);
    expect(claim?.siu?.status).toBe('referred');
    expect(claim?.paymentHold).toMatchObject({ reason: 'siu_referral' });
    const line = await getPayout(claimId);
    expect(line).toMatchObject({ status: 'awaiting', hold: { reason: 'siu_referral' } });
    expect(await inAwaitingQueue(claimId)).toBe(false);
    expect(await assignPayoutToBatch(line!, testBatch())).toBe(false);
    expect((await getPayout(claimId))?.batchId).toBeUndefined();
  });

  it('has its payout held when the referral commits between the step’s read of the claim and its write', async () => {
    const { claimId } = await approvedClaim();
    pauseAfter(claimRead(claimId), () => refer(claimId));
    expect(await queuePayment(claimId, systemClock)).toMatchObject({ status: 'PAYMENT_QUEUED' });

    // The write conflicted and was judged again on the referred claim: the line took its hold.
    expect(await getPayout(claimId)).toMatchObject({
      status: 'awaiting',
      hold: { reason: 'siu_referral', since: (await getClaim(claimId))?.siu?.referredAt },
    });
    expect(await inAwaitingQueue(claimId)).toBe(false);
    const queued = (await eventsOfClaim(claimId)).filter((e) => e.type === 'PaymentQueued');
    expect(queued).toHaveLength(1);
  });
});

describe('QueuePayment retried by the workflow', () => {
  it('leaves a line already in a batch as it is', async () => {
    const { claimId } = await approvedClaim();
    await queuePayment(claimId, systemClock);
    const line = await getPayout(claimId);
    expect(line).toMatchObject({ status: 'awaiting', amount: 7_000_000 });
    expect(line?.hold).toBeUndefined();
    const batchId = testBatch();
    expect(await assignPayoutToBatch(line!, batchId)).toBe(true);

    expect(await queuePayment(claimId, systemClock)).toEqual({
      claimId,
      status: 'PAYMENT_QUEUED',
      amount: 7_000_000,
    });
    expect(await getPayout(claimId)).toMatchObject({ status: 'batched', batchId });
    const queued = (await eventsOfClaim(claimId)).filter((e) => e.type === 'PaymentQueued');
    expect(queued).toHaveLength(1);
  });

  it('writes the line a claim queued without one lacks, held as the claim is', async () => {
    const { claimId } = await approvedClaim();
    await queuePayment(claimId, systemClock);
    // As a step that stopped between the two writes, before they were one, left it: no line.
    await dynamo().send(new DeleteCommand({ TableName: tableName(), Key: financeKeys.payout(claimId) }));
    await refer(claimId);
    const before = await getClaim(claimId);

    await queuePayment(claimId, systemClock);
    expect(await getPayout(claimId)).toMatchObject({
      status: 'awaiting',
      amount: 7_000_000,
      queuedAt: before?.payment?.queuedAt,
      hold: { reason: 'siu_referral' },
    });
    expect(await inAwaitingQueue(claimId)).toBe(false);
    const after = await getClaim(claimId);
    expect(after?.version).toBe(before?.version);
    expect((await eventsOfClaim(claimId)).filter((e) => e.type === 'PaymentQueued')).toHaveLength(1);
  });
});

describe('a batch taking a payout', () => {
  it('refuses a line whose claim holds the payment, and gives the line the claim’s hold', async () => {
    const { claimId } = await approvedClaim();
    await queuePayment(claimId, systemClock);
    // The claim is referred, but the hold never reached the line (the state the race above left).
    const since = new Date().toISOString();
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.claim(claimId),
        UpdateExpression: 'SET siu = :siu, paymentHold = :h',
        ExpressionAttributeValues: {
          ':siu': { status: 'referred', referredAt: since, reasons: ['STAFF_REFERRAL'], score: 0 },
          ':h': { reason: 'siu_referral', since },
        },
      }),
    );
    const line = await getPayout(claimId);
    expect(line?.hold).toBeUndefined();
    expect(await inAwaitingQueue(claimId)).toBe(true);

    expect(await assignPayoutToBatch(line!, testBatch())).toBe(false);
    expect(await getPayout(claimId)).toMatchObject({
      status: 'awaiting',
      hold: { reason: 'siu_referral', since },
    });
    expect((await getPayout(claimId))?.batchId).toBeUndefined();
    expect(await inAwaitingQueue(claimId)).toBe(false);
  });

  it('takes a line of a claim that holds nothing in one request, the claim checked in it', async () => {
    const { claimId } = await approvedClaim();
    await queuePayment(claimId, systemClock);
    const line = await getPayout(claimId);
    const requests: MeteredRequest[] = [];
    meterRequests((r) => requests.push(r));
    const batchId = testBatch();
    expect(await assignPayoutToBatch(line!, batchId)).toBe(true);
    meterRequests(undefined);
    expect(requests.map((r) => r.command)).toEqual(['TransactWriteItems']);
    expect(await getPayout(claimId)).toMatchObject({ status: 'batched', batchId });
  });
});
