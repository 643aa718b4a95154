import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assignPayoutToBatch, markPayoutPaid } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import type { Payout } from '../../lambdas/core/finance.ts';

/**
 * A payout's change with its batch's count is one transaction. Only a condition that did not hold
 * is an answer ("no longer in that batch"); any other cancellation is a failure the import must see,
 * or it would list the line as handled, finish, and never record the payment. Throttling inside a
 * transaction cannot be caused on DynamoDB Local, so the client is mocked here.
 */
const ddb = mockClient(DynamoDBDocumentClient);
beforeAll(() => {
  process.env.TABLE_NAME ??= 'claims-test';
  process.env.AWS_REGION ??= 'ap-southeast-1';
});
afterEach(() => ddb.reset());

const payout = {
  payoutId: 'c-1',
  claimId: 'c-1',
  claimNumber: 'BT-2026-000001',
  kind: 'final',
  amount: 1_000_000,
  interest: 0,
  currency: 'VND',
  account: { bankName: 'Vietcombank', accountHolder: 'NGUYEN VAN AN', accountMask: '•••• 5667' },
  queuedAt: '2026-12-01T01:00:00.000Z',
  date: '2026-12-01',
  status: 'batched',
  batchId: 'PB-1',
} as unknown as Payout;

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('a payout marked paid with its batch count', () => {
  it('answers false when the payout is no longer in that batch', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    await expect(markPayoutPaid(payout, 'PB-1', '2026-12-02T01:00:00Z', 'REF', 'RC-1')).resolves.toBe(false);
  });

  it('fails, so the import stops and can resume, when the transaction was throttled', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None'));
    await expect(
      markPayoutPaid(payout, 'PB-1', '2026-12-02T01:00:00Z', 'REF', 'RC-1'),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
  });

  it('tries again after a conflict with another transaction, and succeeds', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None')).resolves({});
    await expect(markPayoutPaid(payout, 'PB-1', '2026-12-02T01:00:00Z', 'REF', 'RC-1')).resolves.toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('a payout taken by a batch with its claim checked', () => {
  const awaiting = { ...payout, status: 'awaiting', batchId: undefined } as Payout;

  it('checks the claim item in the same transaction, its payment hold and SIU case', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(assignPayoutToBatch(awaiting, 'PB-2')).resolves.toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items).toHaveLength(2);
    expect(items?.[1]?.ConditionCheck).toMatchObject({
      Key: { pk: 'CLAIM#c-1', sk: 'CLAIM' },
      ExpressionAttributeNames: { '#ph': 'paymentHold', '#siu': 'siu' },
    });
  });

  it('gives the line the claim’s hold when only the claim refused', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    ddb.on(GetCommand).resolves({ Item: { paymentHold: { reason: 'siu_referral', since: 'T' } } });
    ddb.on(UpdateCommand).resolves({});
    await expect(assignPayoutToBatch(awaiting, 'PB-2')).resolves.toBe(false);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':h': { reason: 'siu_referral', since: 'T' },
    });
  });

  it('leaves the line alone when the line itself refused (another batch took it, or it is held)', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    await expect(assignPayoutToBatch(awaiting, 'PB-2')).resolves.toBe(false);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('fails when the transaction was throttled, and tries again after a conflict', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None'));
    await expect(assignPayoutToBatch(awaiting, 'PB-2')).rejects.toBeInstanceOf(TransactionCanceledException);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});
    await expect(assignPayoutToBatch(awaiting, 'PB-2')).resolves.toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
