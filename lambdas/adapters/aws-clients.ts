import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv } from './env.ts';

/**
 * SDK clients, created once per execution environment. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so there is no local-mode branch here.
 * Each getter is marked pure so a bundle keeps only the clients its function calls (esbuild drops
 * an unused `lazy(...)` and, with it, that SDK package).
 */
const lazy = <T>(make: () => T): (() => T) => {
  let v: T | undefined;
  return () => {
    v ??= make();
    return v;
  };
};

export const dynamo = /* @__PURE__ */ lazy(() =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);
// Presigned POST against path-style endpoints works both on AWS and on s3rver; checksums are only
// computed when required because the SDK's default checksums break s3rver's streamed uploads.
export const s3 = /* @__PURE__ */ lazy(
  () =>
    new S3Client({
      forcePathStyle: Boolean(optionalEnv('AWS_ENDPOINT_URL_S3', '')),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
);
export const ses = /* @__PURE__ */ lazy(() => new SESv2Client({}));
export const sns = /* @__PURE__ */ lazy(() => new SNSClient({}));
export const sfn = /* @__PURE__ */ lazy(() => new SFNClient({}));
export const scheduler = /* @__PURE__ */ lazy(() => new SchedulerClient({}));
export const kms = /* @__PURE__ */ lazy(() => new KMSClient({}));
