import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markPayoutPaid } from '../../lambdas/adapters/dynamo/finance-repo.ts';
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
