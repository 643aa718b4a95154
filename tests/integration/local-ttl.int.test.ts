import { randomUUID } from 'node:crypto';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { markNoticeSent, takeNotice } from '../../lambdas/adapters/dynamo/notices-repo.ts';
import { TTL_ATTRIBUTE } from '../../lambdas/shared/table-definition.ts';
import { hoursAgo } from '../helpers/claims.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * The local table expires items as the AWS table does: TTL is enabled on the attribute CDK names
 * (tests/infra/stacks.test.ts holds CDK to the same constant), expired items are deleted through the
 * DynamoDB API some time later, and until then the code that reads them treats them as gone.
 */
const stack = useStack();
const TableName = stack.env.TABLE_NAME!;
const epoch = (offsetSeconds: number) => Math.floor(Date.now() / 1000) + offsetSeconds;
let an: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

describe('TTL on the local table', () => {
  it('is enabled on the same attribute as the CDK table', async () => {
    const r = await dynamo().send(new DescribeTimeToLiveCommand({ TableName }));
    expect(r.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: TTL_ATTRIBUTE });
  });

  it('deletes an item past its TTL within a sweep, and keeps one not yet due', async () => {
    const id = randomUUID();
    const expired = { pk: `TTLTEST#${id}`, sk: 'expired', [TTL_ATTRIBUTE]: epoch(-60) };
    const due = { pk: `TTLTEST#${id}`, sk: 'later', [TTL_ATTRIBUTE]: epoch(3600) };
    await dynamo().send(new PutCommand({ TableName, Item: expired }));
    await dynamo().send(new PutCommand({ TableName, Item: due }));
    await eventually(
      async () => {
        const r = await dynamo().send(new GetCommand({ TableName, Key: { pk: expired.pk, sk: expired.sk } }));
        return r.Item ? undefined : true;
      },
      30_000,
      500,
    );
    const kept = await dynamo().send(new GetCommand({ TableName, Key: { pk: due.pk, sk: due.sk } }));
    expect(kept.Item).toEqual(due);
  });
});

describe('readers ignore an expired item that is not deleted yet', () => {
  it('an expired idempotency record no longer refuses another body under its key', async () => {
    const key = randomUUID();
    const first = await an.post('/claims', makeClaimRequest({ lossAt: hoursAgo(40) }), {
      'idempotency-key': key,
    });
    expect(first.status).toBe(201);
    const other = makeClaimRequest({ lossAt: hoursAgo(41) });
    // While the record lives, another body under the key is refused.
    expect((await an.post('/claims', other, { 'idempotency-key': key })).status).toBe(422);

    // Expire the record (as time would) without deleting it.
    let record: Record<string, unknown> | undefined;
    for await (const page of paginateQuery(
      { client: dynamo() },
      { TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'IDEMPOTENCY' } },
    )) {
      record ??= page.Items?.find((i) => JSON.stringify(i.data ?? '').includes(first.body.claimId));
    }
    expect(record, 'the stored idempotency record').toBeDefined();
    await dynamo().send(
      new UpdateCommand({
        TableName,
        Key: { pk: record!.pk, sk: record!.sk },
        UpdateExpression: 'SET #e = :past',
        ExpressionAttributeNames: { '#e': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':past': epoch(-60) },
      }),
    );
    // The expired record is ignored (no 422): the handler runs, and finds the claim the key already
    // made (claim ids derive from the key, so the claim itself outlives the record).
    const again = await an.post('/claims', other, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.claimId).toBe(first.body.claimId);
  });

  it('a notice past its TTL no longer blocks the notice it recorded', async () => {
    const claimId = `TTLTEST-${randomUUID()}`;
    const now = new Date();
    expect(await takeNotice(claimId, 'ack#email#c', now, 60_000)).toBe('taken');
    // Marked sent, then past its retention (DynamoDB may keep it for days more).
    await dynamo().send(
      new UpdateCommand({
        TableName,
        Key: keys.notice(claimId, 'ack#email#c'),
        UpdateExpression: 'SET #s = :sent, #e = :past',
        ExpressionAttributeNames: { '#s': 'status', '#e': TTL_ATTRIBUTE },
        // Well before `now`, the time the next take is judged at (a loaded machine can spend more
        // than a second between taking `now` and this write).
        ExpressionAttributeValues: { ':sent': 'sent', ':past': Math.floor(now.getTime() / 1000) - 60 },
      }),
    );
    expect(await takeNotice(claimId, 'ack#email#c', now, 60_000)).toBe('taken');
    // A live notice still blocks (taken by the take above, not yet marked sent).
    expect(await takeNotice(claimId, 'ack#email#c', now, 60_000)).toBe('sending');
  });

  it('a notice marked sent after its item was gone comes back with an expiry, not kept for ever', async () => {
    const claimId = `TTLTEST-${randomUUID()}`;
    const key = keys.notice(claimId, 'ack#email#c');
    // Taken, then gone (expired and swept, or released) before the send's mark arrives.
    await markNoticeSent(claimId, 'ack#email#c');
    const created = (await dynamo().send(new GetCommand({ TableName, Key: key }))).Item;
    expect(created?.status).toBe('sent');
    expect(created?.[TTL_ATTRIBUTE]).toBeGreaterThan(epoch(80 * 86_400));
    expect(created?.[TTL_ATTRIBUTE]).toBeLessThanOrEqual(epoch(90 * 86_400));
    // The usual case keeps the expiry the take gave it.
    const now = new Date();
    const other = `TTLTEST-${randomUUID()}`;
    expect(await takeNotice(other, 'ack#email#c', now, 60_000)).toBe('taken');
    const taken = (await dynamo().send(new GetCommand({ TableName, Key: keys.notice(other, 'ack#email#c') })))
      .Item;
    await markNoticeSent(other, 'ack#email#c');
    const marked = (
      await dynamo().send(new GetCommand({ TableName, Key: keys.notice(other, 'ack#email#c') }))
    ).Item;
    expect(marked).toMatchObject({ status: 'sent', [TTL_ATTRIBUTE]: taken?.[TTL_ATTRIBUTE] });
  });
});
