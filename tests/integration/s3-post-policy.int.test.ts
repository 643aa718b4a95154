import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { presignUpload } from '../../lambdas/adapters/documents-store.ts';
import { s3 } from '../../lambdas/adapters/aws-clients.ts';
import { UPLOAD_LIMITS } from '../../lambdas/core/dossier.ts';
import { fileClaim, hoursAgo } from '../helpers/claims.ts';
import { pngBytes } from '../helpers/files.ts';
import { type Api, apiAs, useStack } from '../helpers/stack.ts';

/**
 * The local S3 checks a browser POST as Amazon S3 does: the signed policy's conditions bind the key,
 * the size and the content type, and a form that breaks one stores nothing.
 */
const stack = useStack();
let an: Api;
let claimA: string;
let claimB: string;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
  claimA = (await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(30) })).claimId;
  claimB = (await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(31) })).claimId;
});

type Upload = { url: string; fields: Record<string, string> };

async function ticketFor(claimId: string, bytes: Buffer): Promise<Upload> {
  const r = await an.post(`/claims/${claimId}/documents`, {
    docType: 'damage_photos',
    fileName: 'anh.png',
    contentType: 'image/png',
    size: bytes.length,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body as { upload: Upload }).upload;
}

async function post(upload: Upload, bytes: Buffer, override: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...upload.fields, ...override })) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'anh.png');
  const r = await fetch(upload.url, { method: 'POST', body: form });
  return { status: r.status, text: await r.text() };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const r = await s3().send(new ListObjectsV2Command({ Bucket: stack.env.DOCUMENTS_BUCKET, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

describe('presigned POST policy on the local S3', () => {
  it('refuses a ticket whose key field was swapped to another claim, and stores nothing', async () => {
    const png = pngBytes(3, 3, [1, 2, 3]);
    const t = await ticketFor(claimA, png);
    const swapped = t.fields.key!.replace(claimA, claimB);
    expect(swapped).not.toBe(t.fields.key);
    const r = await post(t, png, { key: swapped });
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>AccessDenied</Code>');
    expect(r.text).toContain(
      'Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$key&quot;',
    );
    expect(await keysUnder(`claims/${claimB}/`)).toEqual([]);
  });

  it('refuses a key that climbs out of its prefix with ..', async () => {
    const png = pngBytes(3, 3, [4, 5, 6]);
    const t = await ticketFor(claimA, png);
    const climbing = `claims/${claimA}/../${claimB}/${t.fields.key!.split('/').pop()}`;
    const r = await post(t, png, { key: climbing });
    expect(r.status).toBe(403);
    expect(r.text).toContain('Policy Condition failed');
    expect(await keysUnder(`claims/${claimB}/`)).toEqual([]);
  });

  it('refuses a body over the content-length-range as S3 does (EntityTooLarge)', async () => {
    const t = await ticketFor(claimA, pngBytes(2, 2));
    const r = await post(t, Buffer.alloc(UPLOAD_LIMITS.maxBytes + 1, 7));
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>EntityTooLarge</Code>');
    expect(await keysUnder(t.fields.key!)).toEqual([]);
  });

  it('refuses a changed Content-Type, an extra field and a tampered signature', async () => {
    const png = pngBytes(3, 3, [7, 8, 9]);
    const t = await ticketFor(claimA, png);
    const type = await post(t, png, { 'Content-Type': 'text/html' });
    expect(type.status).toBe(403);
    expect(type.text).toContain('$Content-Type');
    const extra = await post(t, png, { 'x-amz-meta-owner': 'someone' });
    expect(extra.status).toBe(403);
    expect(extra.text).toContain('Extra input fields: x-amz-meta-owner');
    const sig = t.fields['X-Amz-Signature']!;
    const tampered = await post(t, png, {
      'X-Amz-Signature': `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
    });
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await keysUnder(t.fields.key!)).toEqual([]);
  });

  it('refuses an expired policy', async () => {
    const key = `claims/${claimA}/expired-${Date.now()}`;
    const t = await presignUpload(key, 'image/png', 1000, 1, new Date());
    await new Promise((r) => setTimeout(r, 2100));
    const r = await post(t, pngBytes(2, 2));
    expect(r.status).toBe(403);
    expect(r.text).toContain('Invalid according to Policy: Policy expired.');
    expect(await keysUnder(key)).toEqual([]);
  });

  it('still accepts a correct upload (204)', async () => {
    const png = pngBytes(3, 3, [10, 11, 12]);
    const t = await ticketFor(claimA, png);
    const r = await post(t, png);
    expect(r.status).toBe(204);
  });

  it('stores a key with .. segments literally, never under the prefix it names', async () => {
    const literal = `claims/${claimA}/../${claimB}/literal-${Date.now()}`;
    const Bucket = stack.env.DOCUMENTS_BUCKET;
    await s3().send(new PutObjectCommand({ Bucket, Key: literal, Body: 'x' }));
    const back = await s3().send(new GetObjectCommand({ Bucket, Key: literal }));
    expect(await back.Body!.transformToString()).toBe('x');
    expect(await keysUnder(`claims/${claimB}/`)).toEqual([]);
    expect(await keysUnder(`claims/${claimA}/../`)).toContain(literal);
  });
});
