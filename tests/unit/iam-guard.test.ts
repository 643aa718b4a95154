import { afterEach, describe, expect, it } from 'vitest';
import { guardRequests, type GuardedRequest } from '../../lambdas/adapters/aws-clients.ts';
import { presignDownload, presignUpload } from '../../lambdas/adapters/documents-store.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import type { Access } from '../../lambdas/shared/functions.ts';
import { TASK_FUNCTIONS } from '../../lambdas/task-functions.ts';
import { deniedAction } from '../../local/iam-guard.ts';

/** The access a function declares (routes.ts / task-functions.ts), as CDK grants it. */
const accessOf = (id: string): Access => {
  const f = [...ROUTES, ...TASK_FUNCTIONS].find((x) => x.id === id);
  if (!f) throw new Error(`no function ${id}`);
  return f.access as Access;
};
const DOCS = 'claims-documents-local';
const IMPORTS = 'claims-policy-imports-local';
const s3 = (id: string, command: string, input: Record<string, unknown>) =>
  deniedAction(accessOf(id), { service: 'S3', command, input }, { policyImports: IMPORTS });
const on = (key: string, extra: Record<string, unknown> = {}) => ({ Bucket: DOCS, Key: key, ...extra });

describe('local IAM guard: S3 by key prefix and action, as the role on AWS', () => {
  it('lets RequestUpload put into the landing zone only, and read nothing', () => {
    expect(s3('RequestUpload', 'PutObject', on('claims/c1/d1'))).toBeUndefined();
    expect(s3('RequestUpload', 'PutObject', on('stored/claims/c1/d1'))).toBe(
      `s3:PutObject on resource: "arn:aws:s3:::${DOCS}/stored/claims/c1/d1"`,
    );
    expect(s3('RequestUpload', 'GetObject', on('claims/c1/d1'))).toMatch(/^s3:GetObject /);
    expect(s3('RequestUpload', 'DeleteObject', on('claims/c1/d1'))).toMatch(/^s3:DeleteObject /);
  });

  it('lets GetDocument read verified copies, not finance files, mail or the landing zone', () => {
    expect(s3('GetDocument', 'GetObject', on('stored/claims/c1/d1'))).toBeUndefined();
    expect(s3('GetDocument', 'HeadObject', on('stored/claims/c1/d1'))).toBeUndefined();
    for (const key of ['exports/batches/b1/b1.csv', 'inbound/m1', 'claims/c1/d1', 'quarantine/claims/c1/d1'])
      expect(s3('GetDocument', 'GetObject', on(key)), key).toMatch(/^s3:GetObject /);
  });

  it("checks a copy's source and target, and never allows an object version", () => {
    const copy = (from: string, to: string) =>
      s3(
        'VerifyUpload',
        'CopyObject',
        on(to, { CopySource: `${DOCS}/${from.split('/').map(encodeURIComponent).join('/')}` }),
      );
    expect(copy('claims/c1/d1', 'stored/claims/c1/d1')).toBeUndefined();
    expect(copy('stored/claims/c1/d1', 'quarantine/claims/c1/d1')).toBeUndefined();
    expect(copy('claims/c1/d1', 'exports/x')).toMatch(/^s3:PutObject /);
    expect(copy('inbound/m1', 'stored/claims/c1/d1')).toBe(
      `s3:GetObject on resource: "arn:aws:s3:::${DOCS}/inbound/m1"`,
    );
    expect(s3('VerifyUpload', 'DeleteObject', on('claims/c1/d1'))).toBeUndefined();
    expect(s3('VerifyUpload', 'DeleteObject', on('claims/c1/d1', { VersionId: 'v1' }))).toMatch(
      /^s3:DeleteObjectVersion /,
    );
    expect(s3('VerifyUpload', 'GetObject', on('stored/claims/c1/d1', { VersionId: 'v1' }))).toMatch(
      /^s3:GetObjectVersion /,
    );
    expect(s3('VerifyUpload', 'DeleteObject', on('quarantine/claims/c1/d1'))).toMatch(/^s3:DeleteObject /);
  });

  it('gives e-mail intake the raw mail and the landing zone; finance only exports/, by action', () => {
    expect(s3('ReceiveEmail', 'GetObject', on('inbound/m1'))).toBeUndefined();
    expect(s3('ReceiveEmail', 'PutObject', on('claims/c1/d1'))).toBeUndefined();
    expect(s3('ReceiveEmail', 'PutObject', on('inbound/m1'))).toMatch(/^s3:PutObject /);
    expect(
      s3('CreatePaymentBatch', 'CreateMultipartUpload', on('exports/batches/b1/b1.csv')),
    ).toBeUndefined();
    expect(s3('CreatePaymentBatch', 'AbortMultipartUpload', on('exports/batches/b1/b1.csv'))).toBeUndefined();
    expect(s3('CreatePaymentBatch', 'GetObject', on('exports/batches/b1/b1.csv'))).toMatch(/^s3:GetObject /);
    expect(s3('DownloadPaymentBatch', 'GetObject', on('exports/batches/b1/b1.csv'))).toBeUndefined();
    expect(s3('DownloadPaymentBatch', 'PutObject', on('exports/batches/b1/b1.csv'))).toMatch(
      /^s3:PutObject /,
    );
    expect(s3('DownloadPaymentBatch', 'GetObject', on('stored/claims/c1/d1'))).toMatch(/^s3:GetObject /);
  });

  it('lists only where declared, and reads the policy import bucket only with policyImports', () => {
    expect(s3('VerifyUpload', 'ListObjectsV2', { Bucket: DOCS })).toBeUndefined();
    expect(s3('GetDocument', 'ListObjectsV2', { Bucket: DOCS })).toBe(
      `s3:ListBucket on resource: "arn:aws:s3:::${DOCS}"`,
    );
    const file = { Bucket: IMPORTS, Key: 'incoming/policies.csv' };
    expect(s3('ImportPolicies', 'GetObject', file)).toBeUndefined();
    expect(s3('ImportPolicies', 'ListObjectsV2', { Bucket: IMPORTS })).toBeUndefined();
    expect(s3('ImportPolicies', 'PutObject', file)).toMatch(/^s3:PutObject /);
    expect(s3('GetDocument', 'GetObject', file)).toMatch(/^s3:GetObject /);
  });
});

describe('presigned requests ask the guard too (S3 answers them with the signer’s rights)', () => {
  afterEach(() => guardRequests(undefined));

  it('asks for the upload POST and the download GET with their keys', async () => {
    const seen: GuardedRequest[] = [];
    guardRequests((r) => seen.push(r));
    const before = { ...process.env };
    Object.assign(process.env, {
      DOCUMENTS_BUCKET: DOCS,
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    try {
      await presignUpload('claims/c1/d1', 'image/png', 1000, 300, new Date());
      await presignDownload('stored/claims/c1/d1', 'a.png', 'image/png');
    } finally {
      for (const k of ['DOCUMENTS_BUCKET', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
        if (before[k] === undefined) delete process.env[k];
        else process.env[k] = before[k];
    }
    expect(seen.map((r) => [r.command, (r.input as { Key?: string }).Key])).toEqual([
      ['PutObject', 'claims/c1/d1'],
      ['GetObject', 'stored/claims/c1/d1'],
    ]);
  });
});
