import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import {
  assignPayoutToBatch,
  getPayout,
  putPayoutIfNew,
} from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { financeKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { requestPayoutAccountChange } from '../../lambdas/app/payout-account-request.ts';
import { sealPayoutAccount } from '../../lambdas/app/sealed-account.ts';
import type { Caller } from '../../lambdas/core/caller.ts';
import type { Payout } from '../../lambdas/core/finance.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { fileClaim, getClaim, hoursAgo } from '../helpers/claims.ts';
import { type Api, apiAs, sentEmails, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * A change-of-account request racing with finance: the payout is held before a code goes out, so a
 * batch that takes the payout at that moment refuses the request with nothing sent or stored, and a
 * request whose code cannot be sent leaves the payout as it found it.
 *
 * The use case runs in this process so that the moment a batch takes the payout can be placed
 * exactly: the wrapped functions below call the real ones (against the local stack) after doing
 * what a concurrent batch, or a failing mail service, does at that point.
 */
const interleave = vi.hoisted(() => ({
  /** Set: a batch takes the claim's payout just before the request holds it. */
  batchTakes: undefined as ((claimId: string) => Promise<void>) | undefined,
  /** Set: the mail service refuses the next message. */
  sendFails: false,
}));

vi.mock('../../lambdas/adapters/dynamo/finance-repo.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lambdas/adapters/dynamo/finance-repo.ts')>();
  return {
    ...real,
    holdPayoutForAccountChange: async (claimId: string, since: string) => {
      const take = interleave.batchTakes;
      interleave.batchTakes = undefined;
      if (take) await take(claimId);
      return real.holdPayoutForAccountChange(claimId, since);
    },
  };
});
vi.mock('../../lambdas/adapters/notifier.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lambdas/adapters/notifier.ts')>();
  return {
    ...real,
    sendEmail: async (...args: Parameters<typeof real.sendEmail>) => {
      if (interleave.sendFails) {
        interleave.sendFails = false;
        throw new Error('SES: service unavailable');
      }
      return real.sendEmail(...args);
    },
  };
});

const stack = useStack();
const customer = DEMO_USERS.find((u) => u.username === 'an.nguyen')!;
const caller: Caller = {
  userId: customer.userId,
  username: customer.username,
  roles: ['customer'],
  customerId: customer.customerId,
  locale: 'vi',
};
const NEW_ACCOUNT = {
  bankName: 'Techcombank',
  accountNumber: '19034567894321',
  accountHolder: 'NGUYEN VAN AN',
};
const CODE_SUBJECT = /Mã xác nhận|Code to confirm/;

let an: Api;
let hai: Api;
const policies = suitePolicies('MOT-FAC');
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  hai = await apiAs(stack.apiUrl, 'hai.do');
});
afterAll(() => policies.removeAll());

/** A claim of an.nguyen's with its final payout waiting for a batch (written as QueuePayment does). */
async function claimWithQueuedPayout(hours: number): Promise<{ claimNumber: string; payout: Payout }> {
  const { claimId, claimNumber } = await fileClaim(an, {
    policyNumber: await policies.running(200, 200),
    cause: 'fire',
    lossAt: hoursAgo(hours),
  });
  const queuedAt = new Date().toISOString();
  const payout: Payout = {
    payoutId: claimId,
    claimId,
    claimNumber,
    kind: 'final',
    amount: 5_000_000,
    interest: 0,
    currency: 'VND',
    account: await sealPayoutAccount(claimId, {
      bankName: 'Vietcombank',
      accountNumber: '0071000654321',
      accountHolder: 'NGUYEN VAN AN',
    }),
    queuedAt,
    date: queuedAt.slice(0, 10),
    status: 'awaiting',
  };
  expect(await putPayoutIfNew(payout)).toBe(true);
  return { claimNumber, payout };
}

const codesFor = async (claimNumber: string, after: number) =>
  (await sentEmails())
    .slice(after)
    .filter((m) => m.subject.includes(claimNumber) && CODE_SUBJECT.test(m.subject));

const inAwaitingQueue = async (claimId: string) => {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId) }));
  return r.Item?.gsi4pk === 'PAYOUTS#AWAITING';
};

describe('a change of payout account and a batch at the same moment', () => {
  it('a batch taking the payout first refuses the request: no code is sent and nothing is stored', async () => {
    const { claimNumber, payout } = await claimWithQueuedPayout(30);
    const before = (await sentEmails()).length;
    // A batch being prepared takes the payout after the request looked at it, before it is held.
    interleave.batchTakes = async () => {
      expect(await assignPayoutToBatch(payout, 'PB-20260101-00000000aced')).toBe(true);
    };
    await expect(
      requestPayoutAccountChange(caller, payout.claimId, NEW_ACCOUNT, systemClock),
    ).rejects.toMatchObject({ code: 'PAYOUT_IN_BATCH' });
    expect(interleave.batchTakes).toBeUndefined(); // the batch did take it, at that moment
    expect(await getPayout(payout.claimId)).toMatchObject({
      status: 'batched',
      batchId: 'PB-20260101-00000000aced',
    });
    expect((await getPayout(payout.claimId))?.hold).toBeUndefined();
    // The customer got no code for an account that cannot be paid, and the claim holds nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(await codesFor(claimNumber, before)).toEqual([]);
    const claim = await getClaim(hai, payout.claimId);
    expect(claim.paymentHold).toBeUndefined();
    expect(claim.pendingPayoutAccount).toBeUndefined();
    expect(claim.timeline.map((e: { type: string }) => e.type)).not.toContain('PayoutAccountChangeRequested');
  });

  it('a code that cannot be sent leaves the payout in the queue, and a request that goes through holds it', async () => {
    const { claimNumber, payout } = await claimWithQueuedPayout(34);
    const before = (await sentEmails()).length;
    interleave.sendFails = true;
    await expect(
      requestPayoutAccountChange(caller, payout.claimId, NEW_ACCOUNT, systemClock),
    ).rejects.toThrow('service unavailable');
    expect((await getPayout(payout.claimId))?.hold).toBeUndefined();
    expect(await inAwaitingQueue(payout.claimId)).toBe(true);
    expect((await getClaim(hai, payout.claimId)).paymentHold).toBeUndefined();

    const held = await requestPayoutAccountChange(caller, payout.claimId, NEW_ACCOUNT, systemClock);
    expect(held.paymentHold).toMatchObject({ reason: 'payout_account_change' });
    expect(await getPayout(payout.claimId)).toMatchObject({
      status: 'awaiting',
      hold: { reason: 'payout_account_change' },
    });
    expect(await inAwaitingQueue(payout.claimId)).toBe(false);
    expect(await codesFor(claimNumber, before)).toHaveLength(1);
  });
});
