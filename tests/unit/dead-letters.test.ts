import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../lambdas/app/replay-dead-letters.ts';
import { classifyDeadLetter, streamRecordsKept } from '../../lambdas/core/dead-letters.ts';

/*
 * The three shapes the dead-letter queue receives, as AWS documents them (the documented examples,
 * with this system's function names and events):
 * - Lambda on-failure record: Lambda Developer Guide, "Configuring destinations for asynchronous
 *   invocation" (example invocation record).
 * - EventBridge target dead letter: the event as the body; RULE_ARN, TARGET_ARN, ERROR_CODE,
 *   ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS as message attributes (EventBridge
 *   User Guide, "Using dead-letter queues to process undelivered events").
 * - DynamoDB stream on-failure record: Lambda Developer Guide, "Retaining discarded records for a
 *   DynamoDB event source".
 */
const VERIFY_UPLOAD = 'arn:aws:lambda:ap-southeast-1:123456789012:function:prod-claims-VerifyUpload';
const objectCreated = {
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time: '2026-11-14T18:15:58Z',
  region: 'ap-southeast-1',
  resources: ['arn:aws:s3:::prod-claims-documents'],
  detail: {
    version: '0',
    bucket: { name: 'prod-claims-documents' },
    object: {
      key: 'claims/CLM-1/doc-1.pdf',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '00617F08299329D189',
    },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    reason: 'PutObject',
  },
};
const lambdaOnFailure = {
  version: '1.0',
  timestamp: '2026-11-14T18:16:05.568Z',
  requestContext: {
    requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
    functionArn: `${VERIFY_UPLOAD}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
  },
  requestPayload: objectCreated,
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  responsePayload: {
    errorType: 'AccessDeniedException',
    errorMessage: 'User is not authorized to perform: kms:Decrypt',
  },
};
const eventTargetAttributes = {
  RULE_ARN: 'arn:aws:events:ap-southeast-1:123456789012:rule/prod-claims-stateless-VerifyUploadUploads1A2B3C',
  TARGET_ARN: VERIFY_UPLOAD,
  ERROR_CODE: 'NO_PERMISSIONS',
  ERROR_MESSAGE: 'Lambda function invocation not authorized.',
  RETRY_ATTEMPTS: '0',
};
const streamOnFailure = {
  requestContext: {
    requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
    functionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:prod-claims-ProcessClaimEvents',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 6,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2026-11-14T00:13:49.717Z',
  DDBStreamBatchInfo: {
    shardId: 'shardId-00000001573689847184-864758bb',
    startSequenceNumber: '800000000003126276362',
    endSequenceNumber: '800000000003126276362',
    approximateArrivalOfFirstRecord: '2026-11-14T00:13:19Z',
    approximateArrivalOfLastRecord: '2026-11-14T00:13:19Z',
    batchSize: 1,
    streamArn:
      'arn:aws:dynamodb:ap-southeast-1:123456789012:table/prod-claims/stream/2026-01-14T00:04:06.388',
  },
};

describe('classifyDeadLetter', () => {
  it('reads a Lambda on-failure record as the function (unqualified) and the event to invoke it with', () => {
    expect(classifyDeadLetter({ body: JSON.stringify(lambdaOnFailure), attributes: {} })).toEqual({
      kind: 'lambda-on-failure',
      functionArn: VERIFY_UPLOAD,
      functionName: 'prod-claims-VerifyUpload',
      payload: objectCreated,
      condition: 'RetriesExhausted',
      error: 'AccessDeniedException: User is not authorized to perform: kms:Decrypt',
    });
  });

  it('reads an EventBridge dead letter as the rule, its target function and the event', () => {
    expect(
      classifyDeadLetter({ body: JSON.stringify(objectCreated), attributes: eventTargetAttributes }),
    ).toEqual({
      kind: 'event-target',
      ruleArn: eventTargetAttributes.RULE_ARN,
      targetArn: VERIFY_UPLOAD,
      functionName: 'prod-claims-VerifyUpload',
      event: objectCreated,
      error: 'NO_PERMISSIONS: Lambda function invocation not authorized.',
    });
    // A state machine target (the policy import rule) is no function to invoke.
    const sfn = classifyDeadLetter({
      body: JSON.stringify(objectCreated),
      attributes: {
        ...eventTargetAttributes,
        TARGET_ARN: 'arn:aws:states:ap-southeast-1:123456789012:stateMachine:prod-claims-policy-import',
      },
    });
    expect(sfn).toMatchObject({ kind: 'event-target', functionName: undefined });
  });

  it('reads a stream on-failure record as a pointer, though it names a function too', () => {
    expect(classifyDeadLetter({ body: JSON.stringify(streamOnFailure), attributes: {} })).toEqual({
      kind: 'stream-batch',
      functionName: 'prod-claims-ProcessClaimEvents',
      streamArn: streamOnFailure.DDBStreamBatchInfo.streamArn,
      shardId: 'shardId-00000001573689847184-864758bb',
      startSequenceNumber: '800000000003126276362',
      endSequenceNumber: '800000000003126276362',
      batchSize: 1,
      firstArrival: '2026-11-14T00:13:19Z',
    });
  });

  it('says the stream records are gone 24 hours after they arrived', () => {
    const batch = { firstArrival: '2026-11-14T00:13:19Z' };
    expect(streamRecordsKept(batch, new Date('2026-11-15T00:13:18Z'))).toBe(true);
    expect(streamRecordsKept(batch, new Date('2026-11-15T00:13:19Z'))).toBe(false);
    expect(streamRecordsKept({ firstArrival: 'soon' }, new Date())).toBe(false);
  });

  it('leaves what names no function: an old Lambda DLQ message, no JSON, an unknown shape', () => {
    const legacy = classifyDeadLetter({
      body: JSON.stringify(objectCreated),
      attributes: {
        RequestID: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e',
        ErrorCode: '200',
        ErrorMessage: 'boom',
      },
    });
    expect(legacy).toEqual({ kind: 'unrecognised', reason: expect.stringContaining('which function') });
    expect(classifyDeadLetter({ body: 'not json', attributes: {} })).toMatchObject({ kind: 'unrecognised' });
    expect(classifyDeadLetter({ body: '[1]', attributes: {} })).toMatchObject({ kind: 'unrecognised' });
    expect(classifyDeadLetter({ body: '{"a":1}', attributes: {} })).toMatchObject({ kind: 'unrecognised' });
    expect(
      classifyDeadLetter({
        body: JSON.stringify({ ...streamOnFailure, DDBStreamBatchInfo: { shardId: 's' } }),
        attributes: {},
      }),
    ).toMatchObject({ kind: 'unrecognised' });
  });
});

describe('replayDeadLetters', () => {
  const sqs = mockClient(SQSClient);
  const lambda = mockClient(LambdaClient);
  const QUEUE = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/prod-claims-AsyncFailures';
  const attrs = (a: Record<string, string>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
  const queued = [
    { MessageId: 'm1', ReceiptHandle: 'r1', Body: JSON.stringify(lambdaOnFailure) },
    {
      MessageId: 'm2',
      ReceiptHandle: 'r2',
      Body: JSON.stringify(objectCreated),
      MessageAttributes: attrs(eventTargetAttributes),
    },
    { MessageId: 'm3', ReceiptHandle: 'r3', Body: JSON.stringify(streamOnFailure) },
  ];
  afterEach(() => {
    sqs.reset();
    lambda.reset();
  });

  it('invokes each failed function again with its event, deletes only what Lambda accepted, leaves pointers', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: queued }).resolves({});
    lambda
      .on(InvokeCommand, { FunctionName: VERIFY_UPLOAD })
      .resolvesOnce({ StatusCode: 202 })
      .rejectsOnce(new Error('Rate exceeded'));
    const outcomes = await replayDeadLetters({ queueUrl: QUEUE, now: new Date('2026-11-20T00:00:00Z') });

    expect(outcomes.map((o) => [o.messageId, o.result])).toEqual([
      ['m1', 'replayed'],
      ['m2', 'failed'],
      ['m3', 'left'],
    ]);
    const invokes = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(invokes).toHaveLength(2);
    for (const input of invokes) {
      expect(input).toMatchObject({ FunctionName: VERIFY_UPLOAD, InvocationType: 'Event' });
      expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual(objectCreated);
    }
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['r1']);
    // What stays is visible again at once, for the console or the next run.
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, ReceiptHandle: 'r2', VisibilityTimeout: 0 },
      { QueueUrl: QUEUE, ReceiptHandle: 'r3', VisibilityTimeout: 0 },
    ]);
    expect(outcomes[2]?.note).toContain('800000000003126276362..800000000003126276362');
    expect(outcomes[2]?.note).toContain('no longer in the stream');
    expect(outcomes[2]?.note).toContain('Redeliver');
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      MessageAttributeNames: ['All'],
    });
  });

  it('keeps the message when Lambda does not accept the event', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [queued[0] ?? {}] })
      .resolves({});
    lambda.on(InvokeCommand).resolves({ StatusCode: 429 });
    const [outcome] = await replayDeadLetters({ queueUrl: QUEUE });
    expect(outcome?.result).toBe('failed');
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('changes nothing in a dry run, and reads no more than the limit', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: queued.slice(0, 2) });
    const outcomes = await replayDeadLetters({ queueUrl: QUEUE, dryRun: true, limit: 2 });
    expect(outcomes.map((o) => o.result)).toEqual(['would-replay', 'would-replay']);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.MaxNumberOfMessages).toBe(2);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(2);
  });

  it('stops when the queue gives back only messages it already met', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [queued[2] ?? {}] });
    const outcomes = await replayDeadLetters({ queueUrl: QUEUE });
    expect(outcomes).toHaveLength(1);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(2);
  });
});
