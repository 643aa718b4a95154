import { randomUUID } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListScheduleGroupsCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.ts';

/**
 * Every AWS call the code makes (grep `new *Command(` in lambdas/), made with the real AWS SDK v3
 * client against the running stack's stand-in for it, configured only by the environment the
 * handlers get (AWS_ENDPOINT_URL_<SERVICE>): if a stand-in stops speaking a call's wire protocol,
 * this fails, not a handler three layers down.
 */
const stack = useStack();
type Names =
  | 'TABLE_NAME'
  | 'DOCUMENTS_BUCKET'
  | 'EMAIL_FROM'
  | 'DEPARTMENT_TOPIC_ARNS'
  | 'CLAIM_STATE_MACHINE_ARN'
  | 'SCHEDULER_GROUP'
  | 'SCHEDULER_ROLE_ARN'
  | 'DEADLINE_TARGET_ARN'
  | 'FIELD_KEY_ID'
  | 'FINGERPRINT_KEY_ID'
  | 'USER_POOL_ID';
const e = stack.env as Record<Names, string>;
const run = randomUUID().slice(0, 8);

describe('DynamoDB Local', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const TableName = e.TABLE_NAME;
  const pk = `SDKTEST#${run}`;

  it('DescribeTable, Put, Get, Update, Query, BatchGet, TransactWrite (and its cancellation), BatchWrite', async () => {
    const table = await doc.send(new DescribeTableCommand({ TableName }));
    expect(table.Table?.StreamSpecification?.StreamEnabled).toBe(true);
    await doc.send(
      new PutCommand({
        TableName,
        Item: { pk, sk: 'A', n: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    const updated = await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk, sk: 'A' },
        UpdateExpression: 'SET n = n + :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.n).toBe(2);
    expect(
      (await doc.send(new GetCommand({ TableName, Key: { pk, sk: 'A' }, ConsistentRead: true }))).Item?.n,
    ).toBe(2);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk, sk: 'B' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            ConditionCheck: {
              TableName,
              Key: { pk, sk: 'A' },
              ConditionExpression: 'n = :two',
              ExpressionAttributeValues: { ':two': 2 },
            },
          },
        ],
      }),
    );
    const cancelled = await doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk, sk: 'B' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      )
      .catch((x: unknown) => x);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect((cancelled as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe(
      'ConditionalCheckFailed',
    );
    const q = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );
    expect(q.Items?.map((i) => i.sk)).toEqual(['A', 'B']);
    const batch = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [TableName]: {
            Keys: [
              { pk, sk: 'A' },
              { pk, sk: 'B' },
            ],
          },
        },
      }),
    );
    expect(batch.Responses?.[TableName]).toHaveLength(2);
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [TableName]: ['A', 'B'].map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })) },
      }),
    );
    expect(
      (
        await doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
          }),
        )
      ).Count,
    ).toBe(0);
  });
});

describe('S3 (s3rver)', () => {
  const s3 = new S3Client({
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = e.DOCUMENTS_BUCKET;
  // Under exports/: the stack hands only other keys to the upload verifier.
  const key = (name: string) => `exports/sdk-test-${run}/${name}`;

  it('Put, Head, Get, Copy, Delete, multipart (create, part, complete), presigned POST and GET', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket, Key: key('a.txt'), Body: 'hello', ContentType: 'text/plain' }),
    );
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: key('a.txt') }))).ContentLength).toBe(5);
    await s3.send(
      new CopyObjectCommand({ Bucket, Key: key('b.txt'), CopySource: `${Bucket}/${key('a.txt')}` }),
    );
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket, Key: key('b.txt') }))).Body?.transformToString(),
    ).toBe('hello');

    const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key('c.csv') }));
    const part = await s3.send(
      new UploadPartCommand({
        Bucket,
        Key: key('c.csv'),
        UploadId: mpu.UploadId,
        PartNumber: 1,
        Body: 'a,b\n1,2\n',
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: key('c.csv'),
        UploadId: mpu.UploadId,
        MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] },
      }),
    );
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket, Key: key('c.csv') }))).Body?.transformToString(),
    ).toBe('a,b\n1,2\n');

    const post = await createPresignedPost(s3, {
      Bucket,
      Key: key('e.txt'),
      Fields: { 'Content-Type': 'text/plain' },
      Expires: 60,
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append('file', new Blob(['posted']), 'e.txt');
    expect((await fetch(post.url, { method: 'POST', body: form })).status).toBe(204);
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: key('e.txt') }), {
      expiresIn: 60,
    });
    expect(await (await fetch(url)).text()).toBe('posted');

    for (const name of ['a.txt', 'b.txt', 'c.csv', 'e.txt'])
      await s3.send(new DeleteObjectCommand({ Bucket, Key: key(name) }));
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: key('a.txt') }))).rejects.toMatchObject({
      name: 'NotFound',
    });
  });

  // Known gap, left to the owner of local/services/s3.ts: s3rver 3.7.1 routes DELETE ?uploadId to
  // MethodNotAllowed, so the abort exports-store.ts makes after a failed finance file is refused
  // locally (on AWS it succeeds). `it.fails` keeps this visible: it turns red once s3rver is fixed.
  it.fails('AbortMultipartUpload (s3rver answers MethodNotAllowed)', async () => {
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key('d.csv') }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: key('d.csv'), UploadId: upload.UploadId }));
  });
});

describe('SES v2, SNS, Step Functions, Scheduler, KMS, Cognito', () => {
  it('SES v2 SendEmail', async () => {
    const to = `sdk.${run}@example.vn`;
    const r = await new SESv2Client({}).send(
      new SendEmailCommand({
        FromEmailAddress: e.EMAIL_FROM,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: 'SDK' }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    expect(r.MessageId).toBeTruthy();
    const store = (await (await fetch(`${stack.mailUrl}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    expect(store.emails.some((m) => JSON.stringify(m).includes(to))).toBe(true);
  });

  it('SNS Publish to a department topic and as SMS', async () => {
    const sns = new SNSClient({});
    const topics = JSON.parse(e.DEPARTMENT_TOPIC_ARNS ?? '{}') as Record<string, string>;
    expect(
      (await sns.send(new PublishCommand({ TopicArn: topics.siu, Subject: 'SDK', Message: run }))).MessageId,
    ).toBeTruthy();
    const sms = await sns.send(
      new PublishCommand({
        PhoneNumber: '+84900000000',
        Message: run,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    expect(sms.MessageId).toBeTruthy();
  });

  it('Step Functions StartExecution, SendTaskSuccess and SendTaskFailure, with AWS’s error names', async () => {
    const sfn = new SFNClient({});
    const missing = `${e.CLAIM_STATE_MACHINE_ARN}-missing`;
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: missing, input: '{}' })),
    ).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: `t-${run}`, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: `t-${run}`, error: 'X' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });

  it('Scheduler CreateSchedule, GetSchedule, DeleteSchedule, ListScheduleGroups', async () => {
    const scheduler = new SchedulerClient({});
    const Name = `sdk-${run}`;
    const at = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 19);
    const input = {
      Name,
      GroupName: e.SCHEDULER_GROUP,
      ScheduleExpression: `at(${at})`,
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Target: { Arn: e.DEADLINE_TARGET_ARN, RoleArn: e.SCHEDULER_ROLE_ARN, Input: '{}' },
    };
    await scheduler.send(new CreateScheduleCommand(input));
    await expect(scheduler.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ConflictException);
    expect(
      (await scheduler.send(new GetScheduleCommand({ Name, GroupName: e.SCHEDULER_GROUP }))).Target
        ?.RetryPolicy,
    ).toEqual({
      MaximumRetryAttempts: 185,
      MaximumEventAgeInSeconds: 86_400,
    });
    await scheduler.send(new DeleteScheduleCommand({ Name, GroupName: e.SCHEDULER_GROUP }));
    await expect(
      scheduler.send(new DeleteScheduleCommand({ Name, GroupName: e.SCHEDULER_GROUP })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const groups = await scheduler.send(new ListScheduleGroupsCommand({}));
    expect(groups.ScheduleGroups?.map((g) => g.Name)).toContain(e.SCHEDULER_GROUP);
  });

  it('KMS GenerateDataKey, Decrypt and GenerateMac', async () => {
    const kms = new KMSClient({});
    const context = { app: 'claims', purpose: 'payout-account' };
    const key = await kms.send(
      new GenerateDataKeyCommand({ KeyId: e.FIELD_KEY_ID, KeySpec: 'AES_256', EncryptionContext: context }),
    );
    const opened = await kms.send(
      new DecryptCommand({ CiphertextBlob: key.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(opened.Plaintext ?? []).equals(Buffer.from(key.Plaintext ?? []))).toBe(true);
    await expect(
      kms.send(
        new DecryptCommand({ CiphertextBlob: key.CiphertextBlob, EncryptionContext: { app: 'other' } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    const mac = await kms.send(
      new GenerateMacCommand({
        KeyId: e.FINGERPRINT_KEY_ID,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(run),
      }),
    );
    expect(mac.Mac?.length).toBe(32);
  });

  it('Cognito: every admin call the staff administration makes, and AdminListGroupsForUser', async () => {
    const cognito = new CognitoIdentityProviderClient({});
    const UserPoolId = e.USER_POOL_ID;
    const email = `sdk.${run}@insurer.example.vn`;
    const create = new AdminCreateUserCommand({
      UserPoolId,
      Username: email,
      UserAttributes: [{ Name: 'email', Value: email }],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    await cognito.send(create);
    await expect(cognito.send(create)).rejects.toBeInstanceOf(UsernameExistsException);
    const sub = (
      await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    ).UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    expect(sub).toBeTruthy();
    const user = { UserPoolId, Username: sub };
    await cognito.send(
      new AdminUpdateUserAttributesCommand({ ...user, UserAttributes: [{ Name: 'name', Value: 'SDK' }] }),
    );
    await cognito.send(new AdminAddUserToGroupCommand({ ...user, GroupName: 'adjuster' }));
    expect(
      (await cognito.send(new AdminListGroupsForUserCommand(user))).Groups?.map((g) => g.GroupName),
    ).toEqual(['adjuster']);
    await cognito.send(new AdminRemoveUserFromGroupCommand({ ...user, GroupName: 'adjuster' }));
    await cognito.send(new AdminDisableUserCommand(user));
    expect((await cognito.send(new AdminGetUserCommand(user))).Enabled).toBe(false);
    await cognito.send(new AdminEnableUserCommand(user));
    expect((await cognito.send(new AdminGetUserCommand(user))).Enabled).toBe(true);
  });
});
