import { randomInt, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldDecryptionError } from '../../lambdas/adapters/field-crypto.ts';
import { captureOutput } from '../helpers/captured-output.ts';
import { hoursAgo } from '../helpers/claims.ts';
import { startInProcessApi } from '../helpers/in-process-api.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Bank account numbers at rest, in events, on screens and in logs. The claim is filed through a
 * second API front door started in this worker, running the very handler modules against the same
 * stand-ins with the Powertools logger at DEBUG and event logging switched on, and everything the
 * handlers write to stdout/stderr is captured: the number must not appear there either.
 */
const stack = useStack();
const envBefore = {
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL,
  POWERTOOLS_LOGGER_LOG_EVENT: process.env.POWERTOOLS_LOGGER_LOG_EVENT,
};
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';

const NUMBER = `97${String(randomInt(10 ** 9, 10 ** 10))}`; // 12 digits, unique to this run
const MASK = `•••• ${NUMBER.slice(-4)}`;

const raw = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => stack.env.TABLE_NAME ?? '';

let output: ReturnType<typeof captureOutput>;
let stopGateway: () => Promise<void>;
let an: Api;
let adjuster: Api;
let finance: Api;
let supervisor: Api;
let claimId: string;

beforeAll(async () => {
  output = captureOutput();
  const { logger } = await import('../../lambdas/http/api-handler.ts');
  logger.setLogLevel('DEBUG');
  const gateway = await startInProcessApi();
  stopGateway = gateway.stop;
  [an, adjuster, finance, supervisor] = await Promise.all([
    apiAs(gateway.url, 'an.nguyen'),
    apiAs(gateway.url, 'dung.pham'),
    apiAs(gateway.url, 'minh.dang'),
    apiAs(gateway.url, 'hai.do'),
  ]);
  // A submission refused for another field still carries the number in its body.
  const refused = await an.post(
    '/claims',
    makeClaimRequest({
      lossAt: hoursAgo(3),
      description: 'short',
      payoutAccount: { bankName: 'Techcombank', accountNumber: NUMBER, accountHolder: 'NGUYEN VAN AN' },
    }),
    { 'idempotency-key': randomUUID() },
  );
  expect(refused.status).toBe(400);
  const r = await an.post(
    '/claims',
    makeClaimRequest({
      lossAt: hoursAgo(3),
      payoutAccount: { bankName: 'Techcombank', accountNumber: NUMBER, accountHolder: 'NGUYEN VAN AN' },
    }),
    { 'idempotency-key': randomUUID() },
  );
  expect(r.status).toBe(201);
  claimId = r.body.claimId;
  // Let the workflow's intake steps run, so their writes are covered too.
  await eventually(async () =>
    (await adjuster.get(`/claims/${claimId}`)).body.waitingFor ? true : undefined,
  );
});

afterAll(async () => {
  output?.restore();
  for (const [k, v] of Object.entries(envBefore)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await stopGateway?.();
});

const claimItem = async () =>
  (await raw.send(new GetCommand({ TableName: table(), Key: { pk: `CLAIM#${claimId}`, sk: 'CLAIM' } }))).Item;
const eventItems = async () =>
  (
    await raw.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': `CLAIM#${claimId}`, ':e': 'EVENT#' },
      }),
    )
  ).Items ?? [];

async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: table(), ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('payout account at rest (raw DynamoDB Local)', () => {
  it('stores the claim with a mask and a sealed number, never the number', async () => {
    const item = await claimItem();
    const account = item?.report.payoutAccount;
    expect(account).toMatchObject({
      bankName: 'Techcombank',
      accountHolder: 'NGUYEN VAN AN',
      accountMask: MASK,
    });
    expect(account.accountNumber).toBeUndefined();
    expect(account.accountNumberSealed).toMatchObject({
      alg: 'AES-256-GCM',
      edk: expect.any(String),
      ct: expect.any(String),
    });
    expect(JSON.stringify(item)).not.toContain(NUMBER);
  });

  it('reads back from the table: the sealed number opens for its claim and for no other', async () => {
    const { revealAccountNumber } = await import('../../lambdas/app/payout-account.ts');
    const item = await claimItem();
    expect(await revealAccountNumber(claimId, item?.report.payoutAccount)).toBe(NUMBER);
    await expect(revealAccountNumber(`${claimId}x`, item?.report.payoutAccount)).rejects.toBeInstanceOf(
      FieldDecryptionError,
    );
  });

  it('records ClaimSubmitted with the masked account only', async () => {
    const events = await eventItems();
    const submitted = events.find((e) => e.type === 'ClaimSubmitted');
    expect(submitted?.data.report.payoutAccount).toEqual({
      bankName: 'Techcombank',
      accountHolder: 'NGUYEN VAN AN',
      accountMask: MASK,
    });
    expect(JSON.stringify(events)).not.toContain(NUMBER);
  });

  it('has the number nowhere in the whole table (claims, events, idempotency records, counters)', async () => {
    const dump = JSON.stringify(await scanTable());
    expect(dump).toContain(MASK); // the scan does see this claim
    expect(dump).not.toContain(NUMBER);
  });
});

describe('screens', () => {
  it('staff and the customer see the mask, never the number or the ciphertext', async () => {
    for (const api of [adjuster, finance, an]) {
      const r = await api.get(`/claims/${claimId}`);
      expect(r.status).toBe(200);
      expect(r.body.report.payoutAccount).toEqual({
        bankName: 'Techcombank',
        accountHolder: 'NGUYEN VAN AN',
        accountMask: MASK,
      });
      expect(JSON.stringify(r.body)).not.toContain(NUMBER);
      expect(JSON.stringify(r.body)).not.toContain('accountNumberSealed');
    }
  });
});

describe('POST /claims/{id}/payout-account/reveal', () => {
  it('refuses an adjuster and a customer, recording nothing', async () => {
    const before = (await eventItems()).length;
    const byAdjuster = await adjuster.post(`/claims/${claimId}/payout-account/reveal`, {});
    expect(byAdjuster.status).toBe(403);
    expect(byAdjuster.body.error.code).toBe('FORBIDDEN');
    expect(JSON.stringify(byAdjuster.body)).not.toContain(NUMBER);
    expect((await an.post(`/claims/${claimId}/payout-account/reveal`, {})).status).toBe(403);
    expect((await eventItems()).length).toBe(before);
  });

  it('gives finance the full number and leaves an audit event without it', async () => {
    const versionBefore = (await claimItem())?.version;
    const r = await finance.post(`/claims/${claimId}/payout-account/reveal`, {});
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      bankName: 'Techcombank',
      accountHolder: 'NGUYEN VAN AN',
      accountMask: MASK,
      accountNumber: NUMBER,
    });
    const events = await eventItems();
    const revealed = events.filter((e) => e.type === 'PayoutAccountRevealed');
    expect(revealed).toHaveLength(1);
    const minh = await (await import('../../lambdas/adapters/dynamo/users-repo.ts')).getUserByUsername(
      'minh.dang',
    );
    expect(revealed[0]?.actor).toEqual({ kind: 'staff', role: 'finance', id: minh?.userId });
    expect(JSON.stringify(events)).not.toContain(NUMBER);
    // An audited read is not an edit: nobody's open screen goes stale.
    expect((await claimItem())?.version).toBe(versionBefore);

    // The reveal is on the hash chain, intact; staff see it on the timeline, customers do not.
    const audit = await supervisor.get(`/claims/${claimId}/audit`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('PayoutAccountRevealed');
    expect(audit.body.verdict).toMatchObject({ ok: true });
    const staffView = (await adjuster.get(`/claims/${claimId}`)).body;
    expect(staffView.timeline.map((e: { type: string }) => e.type)).toContain('PayoutAccountRevealed');
    const customerView = (await an.get(`/claims/${claimId}`)).body;
    expect(customerView.timeline.map((e: { type: string }) => e.type)).not.toContain('PayoutAccountRevealed');
  });
});

describe('payout item for the bank file', () => {
  it('carries the sealed number and the mask; revealAccountNumber opens it', async () => {
    const [{ mutateClaim }, { queuePayment }, { revealAccountNumber }, { systemClock }] = await Promise.all([
      import('../../lambdas/app/claim-store.ts'),
      import('../../lambdas/app/payment.ts'),
      import('../../lambdas/app/payout-account.ts'),
      import('../../lambdas/core/time.ts'),
    ]);
    // Straight to an approved decision (the approval paths have their own tests).
    const amount = { amount: 5_000_000, currency: 'VND' as const };
    await mutateClaim(claimId, systemClock, (c) => ({
      claim: {
        ...c,
        status: 'APPROVED',
        waitToken: undefined,
        waitingFor: undefined,
        decision: {
          outcome: 'approve',
          amount,
          reasons: [],
          decidedAt: new Date().toISOString(),
          decidedBy: { id: 'test', role: 'supervisor' },
        },
      },
      events: [
        { type: 'ClaimApproved', actor: { kind: 'staff', role: 'supervisor', id: 'test' }, data: { amount } },
      ],
    }));
    await queuePayment(claimId, systemClock);
    const payout = (
      await raw.send(new GetCommand({ TableName: table(), Key: { pk: `PAYOUT#${claimId}`, sk: 'PAYOUT' } }))
    ).Item;
    expect(payout?.account).toMatchObject({ accountMask: MASK, accountNumberSealed: expect.any(Object) });
    expect(JSON.stringify(payout)).not.toContain(NUMBER);
    expect(await revealAccountNumber(claimId, payout?.account)).toBe(NUMBER);
    const queued = (await eventItems()).find((e) => e.type === 'PaymentQueued');
    expect(queued?.data.account).toEqual({ bankName: 'Techcombank', accountMask: MASK });
  });
});

describe('logs', () => {
  it('never contain the full number, with DEBUG level and event logging switched on', () => {
    const text = output.text();
    expect(text).toContain('request rejected'); // the capture works: the refused submission is logged
    expect(text).not.toContain(NUMBER);
  });
});
