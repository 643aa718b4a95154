import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../lambdas/shared/functions.ts';
import { LOCAL_CREDENTIALS } from '../../local/services/dynamodb-local.ts';
import { type LambdaStreamEvent, type StreamPoller, startStreamPoller } from '../../local/stream-poller.ts';
import { eventually, useStack } from '../helpers/stack.ts';

/**
 * The local event source mapping on DynamoDB Local's real stream (a table of its own, so the
 * stack's stream processor is not involved): the CDK filter, Lambda's record shape, order, and
 * retry from the first failed record.
 */
const stack = useStack();
const endpoint = stack.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
const table = `stream-poller-${randomUUID().slice(0, 8)}`;

const batches: LambdaStreamEvent[] = [];
/** Items (`pk|sk`) to fail once each, reported as a function's `batchItemFailures` would. */
const failOnce = new Set<string>();
let poller: StreamPoller;
const delivered = () => batches.flatMap((b) => b.Records.map((r) => r.dynamodb.NewImage?.sk?.S ?? ''));

const put = (pk: string, sk: string, entity: string, extra: Record<string, { S: string }> = {}) =>
  client.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: pk }, sk: { S: sk }, entity: { S: entity }, ...extra },
    }),
  );

beforeAll(async () => {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  poller = await startStreamPoller({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    tableName: table,
    batchSize: 3,
    intervalMs: 20,
    log: () => undefined,
    onBatch: async (event) => {
      batches.push(structuredClone(event));
      const failed = event.Records.filter((r) =>
        failOnce.delete(`${r.dynamodb.Keys.pk?.S}|${r.dynamodb.Keys.sk?.S}`),
      );
      // Listed highest first: the poller must resume from the lowest, as Lambda does.
      return {
        batchItemFailures: failed.reverse().map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })),
      };
    },
  });
});

afterAll(async () => {
  await poller?.stop();
  await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
});

describe('the local table-stream event source', () => {
  it('delivers INSERTs of claim events only, in Lambda’s record shape and in order', async () => {
    await put('CLAIM#a', 'EVENT#00000001', 'ClaimEvent', { type: { S: 'ClaimSubmitted' } });
    await put('CLAIM#a', 'CLAIM', 'Claim'); // not an event
    await put('CLAIM#a', 'EVENT#00000001', 'ClaimEvent', { type: { S: 'Overwritten' } }); // MODIFY, not INSERT
    await put('CLAIM#a', 'EVENT#00000002', 'ClaimEvent', { type: { S: 'ClaimChecked' } });
    // DynamoDB Local publishes stream records a moment after the write: wait for the last one.
    await eventually(async () => (delivered().includes('EVENT#00000002') ? true : undefined));
    await poller.idle();

    const records = batches.flatMap((b) => b.Records);
    expect(records.map((r) => r.dynamodb.NewImage?.sk)).toEqual([
      { S: 'EVENT#00000001' },
      { S: 'EVENT#00000002' },
    ]);
    const [first] = records;
    // Type-checked against aws-lambda's DynamoDBStreamEvent: what the deployed function receives.
    const asLambda: DynamoDBStreamEvent = { Records: [first!] };
    expect(asLambda.Records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: LOCAL_REGION,
      eventSourceARN: poller.streamArn,
      dynamodb: {
        Keys: { pk: { S: 'CLAIM#a' }, sk: { S: 'EVENT#00000001' } },
        NewImage: { entity: { S: 'ClaimEvent' }, type: { S: 'ClaimSubmitted' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(first!.dynamodb.SequenceNumber).toMatch(/^\d+$/);
    expect(typeof first!.dynamodb.ApproximateCreationDateTime).toBe('number');
  });

  it('batches up to the batch size and retries from the first failed record, not the ones before it', async () => {
    batches.length = 0;
    failOnce.add('CLAIM#b|EVENT#00000002');
    for (let i = 1; i <= 5; i++) await put('CLAIM#b', `EVENT#0000000${i}`, 'ClaimEvent');
    await eventually(async () =>
      delivered().filter((k) => k === 'EVENT#00000005').length > 0 && failOnce.size === 0 ? true : undefined,
    );
    await poller.idle();

    const seen = batches.map((b) => b.Records.map((r) => r.dynamodb.NewImage?.sk?.S));
    expect(seen.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
    const all = seen.flat();
    const count = (sk: string) => all.filter((x) => x === sk).length;
    expect(count('EVENT#00000001')).toBe(1); // done before the failure: never again
    expect(count('EVENT#00000002')).toBe(2); // failed once, then delivered again…
    const retry = seen.findIndex((b, i) => i > 0 && b[0] === 'EVENT#00000002');
    expect(retry).toBeGreaterThan(0); // …at the head of the next batch
    expect([...new Set(all)]).toEqual([
      'EVENT#00000001',
      'EVENT#00000002',
      'EVENT#00000003',
      'EVENT#00000004',
      'EVENT#00000005',
    ]);
    expect(failOnce.size).toBe(0);
  });

  it('resumes from the lowest sequence number reported, whatever order the function lists them in', async () => {
    batches.length = 0;
    // Held back until all three are in the stream, so they reach the callback in one batch.
    await poller.pause();
    for (let i = 1; i <= 3; i++) await put('CLAIM#c', `EVENT#0000000${i}`, 'ClaimEvent');
    failOnce.add('CLAIM#c|EVENT#00000002');
    failOnce.add('CLAIM#c|EVENT#00000003');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    poller.resume();
    await eventually(async () => (failOnce.size === 0 ? true : undefined));
    await poller.idle();

    const seen = batches.map((b) => b.Records.map((r) => r.dynamodb.NewImage?.sk?.S));
    expect(seen[0]).toEqual(['EVENT#00000001', 'EVENT#00000002', 'EVENT#00000003']);
    // Reported as [3, 2]: taking the first listed would skip 2 for good.
    expect(seen.slice(1).flat()).toEqual(['EVENT#00000002', 'EVENT#00000003']);
  });
});
