// The local AWS stand-ins, each driven through the real @aws-sdk v3 client configured the way the
// Lambda handlers are: by `AWS_ENDPOINT_URL_<SERVICE>` only. Every stand-in runs on its own free port,
// independent of the stack that global-setup starts.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { InvalidParameterException, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, type DynamoDbLocal, startDynamoDbLocal } from '../../local/services/dynamodb-local.ts';
import { type S3Local, startS3Local } from '../../local/services/s3.ts';
import {
  type InvokeContext,
  type SchedulerLocal,
  startSchedulerLocal,
} from '../../local/services/scheduler.ts';
import { type SesLocal, startSesLocal } from '../../local/services/ses.ts';
import { type SnsInboxMessage, type SnsLocal, startSnsLocal } from '../../local/services/sns.ts';
import {
  type StepFunctionsLocal,
  startStepFunctionsLocal,
  TASK_TOKEN_PLACEHOLDER,
} from '../../local/services/stepfunctions.ts';

const region = 'ap-southeast-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'localsecret' };

/** Points the SDK at a stand-in exactly as the local stack does for handlers, restoring it afterwards. */
const savedEnv = new Map<string, string | undefined>();
function setEndpointEnv(name: string, value: string): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  process.env[name] = value;
}
afterAll(() => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

describe('DynamoDB Local', () => {
  let ddb: DynamoDbLocal;
  let client: DynamoDBClient;
  const TableName = 'local-services-test';

  beforeAll(async () => {
    ddb = await startDynamoDbLocal({ port: 0 });
    setEndpointEnv('AWS_ENDPOINT_URL_DYNAMODB', ddb.endpoint);
    client = new DynamoDBClient({ region, credentials });
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await ddb?.stop();
  });

  it('binds 127.0.0.1 on the requested free port', () => {
    expect(ddb.endpoint).toBe(`http://127.0.0.1:${ddb.port}`);
    expect(ddb.port).toBeGreaterThan(0);
  });

  it('creates a table once and reports it already exists afterwards', async () => {
    const definition = {
      TableName,
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
    };
    expect(await createTable(client, definition)).toBe(true);
    expect(await createTable(client, definition)).toBe(false);
  });

  it('cancels a TransactWrite on a failed condition and reports the reasons per item', async () => {
    await client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'CLAIM#1' }, sk: { S: 'META' }, v: { N: '1' } } }),
    );
    const attempt = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: { S: 'CLAIM#2' }, sk: { S: 'META' } } } },
          {
            Put: {
              TableName,
              Item: { pk: { S: 'CLAIM#1' }, sk: { S: 'META' }, v: { N: '2' } },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionCanceledException);
    const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons[1]?.Item?.['v']).toEqual({ N: '1' });
    // Nothing of the cancelled transaction was written.
    const other = await client.send(
      new GetItemCommand({ TableName, Key: { pk: { S: 'CLAIM#2' }, sk: { S: 'META' } } }),
    );
    expect(other.Item).toBeUndefined();
  });
});

describe('S3 (s3rver)', () => {
  let s3: S3Local;
  let client: S3Client;
  const Bucket = 'claims-docs-test';
  const events: S3Event[] = [];

  beforeAll(async () => {
    s3 = await startS3Local({ port: 0, freshDirectory: true, buckets: [Bucket] });
    s3.onObjectCreated((e) => {
      events.push(e);
    });
    setEndpointEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
    // Default SDK settings on purpose (no requestChecksumCalculation override).
    client = new S3Client({ region, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('accepts a presigned POST with a Content-Type field and emits ObjectCreated:Post in the AWS shape', async () => {
    const Key = 'claims/CLM-1/photo (1).jpg';
    const body = Buffer.from('\xff\xd8\xff fake jpeg bytes', 'latin1');
    const { url, fields } = await createPresignedPost(client, {
      Bucket,
      Key,
      Fields: { 'Content-Type': 'image/jpeg' },
      Conditions: [['content-length-range', 1, 1_000_000], { 'Content-Type': 'image/jpeg' }],
      Expires: 300,
    });
    expect(url).toBe(`${s3.endpoint}/${Bucket}`);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([body], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    await s3.settled();
    const posted = events.find((e) => e.Records[0]?.eventName === 'ObjectCreated:Post');
    expect(posted).toBeDefined();
    const record = posted!.Records[0]!;
    expect(record.eventSource).toBe('aws:s3');
    expect(record.awsRegion).toBe(region);
    expect(record.s3.bucket.name).toBe(Bucket);
    expect(record.s3.bucket.arn).toBe(`arn:aws:s3:::${Bucket}`);
    expect(record.s3.object.key).toBe('claims/CLM-1/photo+%281%29.jpg');
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(Key);
    expect(record.s3.object.size).toBe(body.length);
    expect(record.s3.object.eTag).toBe(createHash('md5').update(body).digest('hex'));

    const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentType).toBe('image/jpeg');
    expect(head.ContentLength).toBe(body.length);
  });

  it('stores a streamed PutObject byte-exact despite the SDK aws-chunked checksum framing', async () => {
    const payload = randomBytes(200_000);
    const before = events.length;
    await client.send(
      new PutObjectCommand({
        Bucket,
        Key: 'stream.bin',
        Body: Readable.from([payload.subarray(0, 70_000), payload.subarray(70_000)]),
        ContentLength: payload.length,
        ContentType: 'application/octet-stream',
      }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket, Key: 'stream.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.length).toBe(payload.length);
    expect(bytes.equals(payload)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
    await s3.settled();
    expect(events.slice(before).map((e) => e.Records[0]?.eventName)).toEqual(['ObjectCreated:Put']);
  });

  it('answers a CORS preflight for browser uploads from any origin', async () => {
    const res = await fetch(`${s3.endpoint}/${Bucket}/some/key`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'PUT' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('rejects an access key it does not know', async () => {
    const stranger = new S3Client({ region, credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' } });
    await expect(stranger.send(new HeadObjectCommand({ Bucket, Key: 'stream.bin' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    stranger.destroy();
  });
});

describe('SES v2 (aws-ses-v2-local)', () => {
  let ses: SesLocal;
  let client: SESv2Client;

  beforeAll(async () => {
    ses = await startSesLocal({ port: 0 });
    setEndpointEnv('AWS_ENDPOINT_URL_SESV2', ses.endpoint);
    client = new SESv2Client({ region, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await ses?.stop();
  });

  it('stores a SendEmail and lists it', async () => {
    await ses.clear();
    const since = Math.floor(Date.now() / 1000);
    const out = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'boithuong@baohiem.local',
        Destination: { ToAddresses: ['an.nguyen@example.vn'] },
        Content: {
          Simple: {
            Subject: { Data: 'Hồ sơ CLM-1 đã được tiếp nhận', Charset: 'UTF-8' },
            Body: { Text: { Data: 'Xin chào An', Charset: 'UTF-8' }, Html: { Data: '<p>Xin chào An</p>' } },
          },
        },
      }),
    );
    expect(out.MessageId).toBeTruthy();
    const messages = await ses.listMessages(since);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      messageId: out.MessageId,
      from: 'boithuong@baohiem.local',
      destination: { to: ['an.nguyen@example.vn'] },
      subject: 'Hồ sơ CLM-1 đã được tiếp nhận',
      body: { text: 'Xin chào An', html: '<p>Xin chào An</p>' },
    });
    expect(await ses.listMessages(since + 3600)).toHaveLength(0);
    await ses.clear();
    expect(await ses.listMessages()).toHaveLength(0);
  });
});

describe('SNS stand-in', () => {
  let sns: SnsLocal;
  let client: SNSClient;

  beforeAll(async () => {
    sns = await startSnsLocal({ port: 0, topics: ['claims-adjusters'] });
    setEndpointEnv('AWS_ENDPOINT_URL_SNS', sns.endpoint);
    client = new SNSClient({ region, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await sns?.stop();
  });

  it('accepts an SMS Publish with attributes and shows it in the inbox', async () => {
    const out = await client.send(
      new PublishCommand({
        PhoneNumber: '+84901234567',
        Message: 'Mã hồ sơ CLM-1: đã tiếp nhận & <đang xử lý>',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+84900000000' },
        },
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const res = await fetch(`${sns.endpoint}/inbox?to=${encodeURIComponent('+84901234567')}`);
    const inbox = (await res.json()) as SnsInboxMessage[];
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      messageId: out.MessageId,
      kind: 'sms',
      to: '+84901234567',
      message: 'Mã hồ sơ CLM-1: đã tiếp nhận & <đang xử lý>',
      attributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    const html = await (await fetch(`${sns.endpoint}/`)).text();
    expect(html).toContain('đã tiếp nhận &amp; &lt;đang xử lý&gt;');
  });

  it('publishes to a topic, newest first in the inbox', async () => {
    const TopicArn = sns.topicArn('claims-adjusters');
    await client.send(new PublishCommand({ TopicArn, Subject: 'Hồ sơ mới', Message: 'CLM-2 cần phân công' }));
    const inbox = (await (
      await fetch(`${sns.endpoint}/inbox?to=claims-adjusters`)
    ).json()) as SnsInboxMessage[];
    expect(inbox.map((m) => m.message)).toEqual(['CLM-2 cần phân công']);
    expect(inbox[0]).toMatchObject({ kind: 'topic', to: TopicArn, subject: 'Hồ sơ mới' });
    expect(sns.messages()[0]?.message).toBe('CLM-2 cần phân công');
  });

  it('rejects a Publish without Message as InvalidParameter (400) and an unknown topic as NotFound', async () => {
    const missing = await client
      .send(new PublishCommand({ PhoneNumber: '+84901234567' } as never))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidParameterException);
    expect((missing as InvalidParameterException).$metadata.httpStatusCode).toBe(400);
    const unknown = await client
      .send(new PublishCommand({ TopicArn: sns.topicArn('no-such-topic'), Message: 'x' }))
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundException);
  });

  it('also speaks AWS JSON 1.0 (X-Amz-Target), including the error shape', async () => {
    const call = (body: unknown) =>
      fetch(sns.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSNS.Publish' },
        body: JSON.stringify(body),
      });
    const ok = await call({ PhoneNumber: '+84907654321', Message: 'json protocol' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { MessageId: string }).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await call({ PhoneNumber: '+84907654321' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ __type: 'InvalidParameter' });
    expect(bad.headers.get('x-amzn-query-error')).toBe('InvalidParameter;Sender');
  });

  it('clears the inbox', async () => {
    const res = await fetch(`${sns.endpoint}/inbox/clear`, { method: 'POST' });
    expect(await res.json()).toEqual({ cleared: 3 });
    expect(sns.messages()).toEqual([]);
  });
});

describe('EventBridge Scheduler stand-in', () => {
  let scheduler: SchedulerLocal;
  let client: SchedulerClient;
  const invocations: Array<{ arn: string; input: unknown; context: InvokeContext }> = [];
  const targetArn = 'arn:aws:lambda:ap-southeast-1:000000000000:function:claims-local-SlaReminder';
  const target = (input: unknown) => ({
    Arn: targetArn,
    RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
    Input: JSON.stringify(input),
  });
  /** `at()` text for a UTC instant, as wall-clock time in Vietnam (UTC+7, no DST). */
  const vietnamWallClock = (utc: Date) => new Date(utc.getTime() + 7 * 3600_000).toISOString().slice(0, 19);

  beforeAll(async () => {
    scheduler = await startSchedulerLocal({
      port: 0,
      pollIntervalMs: 0, // only explicit advances fire in this test
      invokeTarget: async (arn, input, context) => {
        invocations.push({ arn, input, context });
      },
    });
    setEndpointEnv('AWS_ENDPOINT_URL_SCHEDULER', scheduler.endpoint);
    client = new SchedulerClient({ region, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await scheduler?.stop();
  });

  it('fires a one-time schedule at its Vietnam-time due moment with the scheduled time substituted', async () => {
    const dueUtc = new Date(Math.ceil((scheduler.now().getTime() + 2 * 3600_000) / 1000) * 1000);
    const created = await client.send(
      new CreateScheduleCommand({
        Name: 'sla-CLM-1',
        ScheduleExpression: `at(${vietnamWallClock(dueUtc)})`,
        ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: target({ claimId: 'CLM-1', kind: 'SLA', firedAt: '<aws.scheduler.scheduled-time>' }),
      }),
    );
    expect(created.ScheduleArn).toBe(
      'arn:aws:scheduler:ap-southeast-1:000000000000:schedule/default/sla-CLM-1',
    );

    const got = await client.send(new GetScheduleCommand({ Name: 'sla-CLM-1', GroupName: 'default' }));
    expect(got.ScheduleExpressionTimezone).toBe('Asia/Ho_Chi_Minh');
    expect(got.Target?.Arn).toBe(targetArn);
    expect(got.CreationDate).toBeInstanceOf(Date);

    const listed = (await (await fetch(`${scheduler.endpoint}/local/schedules`)).json()) as {
      schedules: Array<{ name: string; nextFireTime: string }>;
    };
    expect(listed.schedules.find((s) => s.name === 'sla-CLM-1')?.nextFireTime).toBe(dueUtc.toISOString());

    const early = await fetch(`${scheduler.endpoint}/local/advance-time`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 3600 }),
    });
    expect(((await early.json()) as { fired: unknown[] }).fired).toEqual([]);
    expect(invocations).toHaveLength(0);

    const due = await fetch(`${scheduler.endpoint}/local/advance-time`, {
      method: 'POST',
      body: JSON.stringify({ to: new Date(dueUtc.getTime() + 1000).toISOString() }),
    });
    const { fired } = (await due.json()) as { fired: Array<{ name: string; ok: boolean }> };
    expect(fired).toMatchObject([{ name: 'sla-CLM-1', ok: true }]);
    const scheduledTime = dueUtc.toISOString().replace('.000Z', 'Z');
    expect(invocations).toEqual([
      {
        arn: targetArn,
        input: { claimId: 'CLM-1', kind: 'SLA', firedAt: scheduledTime },
        context: expect.objectContaining({ scheduledTime, scheduleName: 'sla-CLM-1', groupName: 'default' }),
      },
    ]);
    // ActionAfterCompletion=DELETE removed it.
    await expect(client.send(new GetScheduleCommand({ Name: 'sla-CLM-1' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('runs one-time schedules only: rate() and cron() are refused with a ValidationException saying so', async () => {
    for (const ScheduleExpression of ['rate(5 minutes)', 'cron(0 8 * * ? *)']) {
      const refused = await client
        .send(
          new CreateScheduleCommand({
            Name: 'recurring',
            ScheduleExpression,
            FlexibleTimeWindow: { Mode: 'OFF' },
            Target: target({}),
          }),
        )
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationException);
      expect((refused as ValidationException).message).toContain('one-time at() schedules only');
    }
  });

  it('rejects a duplicate name with ConflictException and forgets a deleted schedule', async () => {
    const input = {
      Name: 'reminder-CLM-2',
      ScheduleExpression: `at(${vietnamWallClock(new Date(scheduler.now().getTime() + 3600_000))})`,
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: target({ claimId: 'CLM-2' }),
    };
    await client.send(new CreateScheduleCommand(input));
    const dup = await client.send(new CreateScheduleCommand(input)).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    expect((dup as ConflictException).$metadata.httpStatusCode).toBe(409);

    const listed = await client.send(new ListSchedulesCommand({ NamePrefix: 'reminder-' }));
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(['reminder-CLM-2']);

    await client.send(new DeleteScheduleCommand({ Name: 'reminder-CLM-2' }));
    expect((await client.send(new ListSchedulesCommand({ NamePrefix: 'reminder-' }))).Schedules).toEqual([]);
    await expect(client.send(new DeleteScheduleCommand({ Name: 'reminder-CLM-2' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const before = invocations.length;
    expect(await scheduler.advance(2 * 3600_000)).toEqual([]);
    expect(invocations).toHaveLength(before);
  });
});

describe('Step Functions stand-in', () => {
  let sfn: StepFunctionsLocal;
  let client: SFNClient;
  const fn = (name: string) => `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}`;
  const calls: Record<string, unknown[]> = {};
  const assessFailures = new Map<string, string[]>(); // claimId -> error names to throw, in order

  const definition = {
    StartAt: 'Assess',
    States: {
      Assess: {
        Type: 'Task',
        Resource: fn('assess'),
        ResultPath: '$.assessment',
        Retry: [{ ErrorEquals: ['TransientDependencyError'], IntervalSeconds: 5, MaxAttempts: 2 }],
        Catch: [{ ErrorEquals: ['ClaimRejectedError'], ResultPath: '$.error', Next: 'Rejected' }],
        Next: 'Notify',
      },
      Notify: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: fn('notify'), 'Payload.$': '$' },
        ResultSelector: { 'sent.$': '$.Payload.sent', 'status.$': '$.StatusCode' },
        ResultPath: '$.notify',
        Next: 'AwaitAdjuster',
      },
      AwaitAdjuster: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: fn('requestApproval'),
          Payload: { 'claimId.$': '$.claimId', step: 'adjuster', 'taskToken.$': '$$.Task.Token' },
        },
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['ApprovalDenied'], ResultPath: '$.error', Next: 'Rejected' }],
        Next: 'Reviews',
      },
      Reviews: {
        Type: 'Parallel',
        ResultPath: '$.reviews',
        Next: 'Approved',
        Branches: [
          {
            StartAt: 'FinanceReview',
            States: {
              FinanceReview: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: {
                  FunctionName: fn('requestApproval'),
                  Payload: { 'claimId.$': '$.claimId', step: 'finance', 'taskToken.$': '$$.Task.Token' },
                },
                End: true,
              },
            },
          },
          {
            StartAt: 'FraudReview',
            States: {
              FraudReview: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: {
                  FunctionName: fn('requestApproval'),
                  Payload: { 'claimId.$': '$.claimId', step: 'fraud', 'taskToken.$': '$$.Task.Token' },
                },
                End: true,
              },
            },
          },
        ],
      },
      Approved: {
        Type: 'Pass',
        Parameters: {
          'claimId.$': '$.claimId',
          outcome: 'APPROVED',
          'reviews.$': '$.reviews',
          'approval.$': '$.approval',
          'assessment.$': '$.assessment',
          'notify.$': '$.notify',
        },
        End: true,
      },
      Rejected: {
        Type: 'Pass',
        Parameters: { 'claimId.$': '$.claimId', outcome: 'REJECTED', 'error.$': '$.error' },
        End: true,
      },
    },
  };
  const catchAll = {
    StartAt: 'Flaky',
    States: {
      Flaky: {
        Type: 'Task',
        Resource: fn('flaky'),
        Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Done' }],
        End: true,
      },
      Done: { Type: 'Succeed' },
    },
  };

  const approvalRequests = () =>
    (calls['requestApproval'] ?? []) as Array<{ claimId: string; step: string; taskToken: string }>;
  const start = async (claimId: string, name = claimId) =>
    (
      await client.send(
        new StartExecutionCommand({
          stateMachineArn: sfn.stateMachineArn('claim-test'),
          name,
          input: JSON.stringify({ claimId }),
        }),
      )
    ).executionArn!;
  const describeExecution = (executionArn: string) =>
    client.send(new DescribeExecutionCommand({ executionArn }));
  const tokenFor = (claimId: string, step: string) => {
    const found = approvalRequests().filter((r) => r.claimId === claimId && r.step === step);
    expect(found).toHaveLength(1);
    return found[0]!.taskToken;
  };

  beforeAll(async () => {
    sfn = await startStepFunctionsLocal({
      port: 0,
      retryIntervalOverrideMs: 0,
      stateMachines: [
        { name: 'claim-test', definition },
        { name: 'catch-all-test', definition: catchAll },
      ],
      invokeLambda: async (arn, payload) => {
        const name = arn.split(':function:')[1]!;
        calls[name] = [...(calls[name] ?? []), payload];
        if (name === 'assess') {
          const { claimId } = payload as { claimId: string };
          const next = assessFailures.get(claimId)?.shift();
          if (next) throw new NamedError(next, `assess ${claimId} failed with ${next}`);
          return { score: 42 };
        }
        if (name === 'notify') return { sent: true };
        if (name === 'flaky') throw new NamedError('SomethingUnexpected', 'flaky');
        return null;
      },
    });
    setEndpointEnv('AWS_ENDPOINT_URL_SFN', sfn.endpoint);
    client = new SFNClient({ region, credentials });
  });
  afterAll(async () => {
    client?.destroy();
    await sfn?.stop();
  });

  it('retries a named Lambda error, waits on task tokens, runs a Parallel of two callbacks and succeeds', async () => {
    assessFailures.set('CLM-1', ['TransientDependencyError']);
    const arn = await start('CLM-1');
    expect(arn).toBe('arn:aws:states:ap-southeast-1:000000000000:execution:claim-test:CLM-1');
    await sfn.idle();

    expect(
      (calls['assess'] ?? []).filter((p) => (p as { claimId: string }).claimId === 'CLM-1'),
    ).toHaveLength(2);
    expect(sfn.getExecution(arn)?.events.some((e) => e.type === 'StateRetried')).toBe(true);
    const adjusterToken = tokenFor('CLM-1', 'adjuster');
    expect(adjusterToken).not.toContain(TASK_TOKEN_PLACEHOLDER);
    expect(Buffer.from(adjusterToken, 'base64').toString()).toContain(arn);
    expect(sfn.pendingTasks(arn).map((t) => t.stateName)).toEqual(['AwaitAdjuster']);
    expect((await describeExecution(arn)).status).toBe('RUNNING');

    await client.send(
      new SendTaskSuccessCommand({
        taskToken: adjusterToken,
        output: JSON.stringify({ approved: true, by: 'adj-1' }),
      }),
    );
    await sfn.idle();
    const financeToken = tokenFor('CLM-1', 'finance');
    const fraudToken = tokenFor('CLM-1', 'fraud');
    expect(new Set([adjusterToken, financeToken, fraudToken]).size).toBe(3);
    expect(
      sfn
        .pendingTasks(arn)
        .map((t) => t.stateName)
        .sort(),
    ).toEqual(['FinanceReview', 'FraudReview']);

    // A used token is gone.
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: adjusterToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);

    await client.send(
      new SendTaskSuccessCommand({ taskToken: fraudToken, output: JSON.stringify({ fraud: 'LOW' }) }),
    );
    await sfn.idle();
    expect((await describeExecution(arn)).status).toBe('RUNNING');
    expect(sfn.pendingTasks(arn).map((t) => t.stateName)).toEqual(['FinanceReview']);

    await client.send(
      new SendTaskSuccessCommand({ taskToken: financeToken, output: JSON.stringify({ paid: 1_500_000 }) }),
    );
    await sfn.idle();
    const done = await describeExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.startDate).toBeInstanceOf(Date);
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    expect(JSON.parse(done.output!)).toEqual({
      claimId: 'CLM-1',
      outcome: 'APPROVED',
      assessment: { score: 42 },
      notify: { sent: true, status: 200 },
      approval: { approved: true, by: 'adj-1' },
      reviews: [{ paid: 1_500_000 }, { fraud: 'LOW' }], // branch order, not completion order
    });

    const history = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    const types = history.events?.map((e) => e.type) ?? [];
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('TaskFailed');
    expect(types).toContain('ParallelStateEntered');
  });

  it('catches a named Lambda error with AWS-shaped Cause', async () => {
    assessFailures.set('CLM-2', ['ClaimRejectedError']);
    const arn = await start('CLM-2');
    const done = await sfn.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as { outcome: string; error: { Error: string; Cause: string } };
    expect(output.outcome).toBe('REJECTED');
    expect(output.error.Error).toBe('ClaimRejectedError');
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: 'ClaimRejectedError',
      errorMessage: 'assess CLM-2 failed with ClaimRejectedError',
    });
  });

  it('fails the execution when retries are exhausted, reporting the Lambda error name', async () => {
    assessFailures.set('CLM-3', [
      'TransientDependencyError',
      'TransientDependencyError',
      'TransientDependencyError',
    ]);
    const arn = await start('CLM-3');
    await sfn.waitForExecution(arn);
    const done = await describeExecution(arn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('TransientDependencyError');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'TransientDependencyError' });
  });

  it('routes SendTaskFailure to the matching Catch by error name', async () => {
    const arn = await start('CLM-4');
    await sfn.idle();
    await client.send(
      new SendTaskFailureCommand({
        taskToken: tokenFor('CLM-4', 'adjuster'),
        error: 'ApprovalDenied',
        cause: 'no cover',
      }),
    );
    const done = await sfn.waitForExecution(arn);
    expect(JSON.parse(done.output!)).toEqual({
      claimId: 'CLM-4',
      outcome: 'REJECTED',
      error: { Error: 'ApprovalDenied', Cause: 'no cover' },
    });
  });

  it('matches any Lambda error with States.TaskFailed', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: sfn.stateMachineArn('catch-all-test'), input: '{"x":1}' }),
    );
    const done = await sfn.waitForExecution(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ x: 1, caught: { Error: 'SomethingUnexpected' } });
  });

  it('enforces execution name uniqueness, stops executions and reports unknown ones', async () => {
    const arn = await start('CLM-5');
    await sfn.idle();
    // Same name and input while running: idempotent. Different input: conflict.
    expect(await start('CLM-5')).toBe(arn);
    const clash = await client
      .send(
        new StartExecutionCommand({
          stateMachineArn: sfn.stateMachineArn('claim-test'),
          name: 'CLM-5',
          input: JSON.stringify({ claimId: 'OTHER' }),
        }),
      )
      .catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(ExecutionAlreadyExists);
    expect((clash as ExecutionAlreadyExists).$metadata.httpStatusCode).toBe(400);

    const token = tokenFor('CLM-5', 'adjuster');
    await client.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'customer withdrew' }),
    );
    const stopped = await describeExecution(arn);
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'customer withdrew' });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);

    const listed = await client.send(
      new ListExecutionsCommand({
        stateMachineArn: sfn.stateMachineArn('claim-test'),
        statusFilter: 'ABORTED',
      }),
    );
    expect(listed.executions?.map((e) => e.name)).toEqual(['CLM-5']);

    const missing = await describeExecution(`${arn}-nope`).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ExecutionDoesNotExist', $metadata: { httpStatusCode: 400 } });
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'bogus', output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });
});
