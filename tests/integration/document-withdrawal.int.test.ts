import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignTo,
  fileParked,
  getClaim,
  hoursAgo,
  parked,
  until,
  uploadMissingDocuments,
} from '../helpers/claims.ts';
import { ownAttributes } from '../helpers/factories.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import { type Api, signIn, useStack } from '../helpers/stack.ts';

/**
 * The customer's own uploads (issue 10): they open them through a short-lived signed link and may
 * withdraw one of theirs until the claim is assessed — the record and the bytes are kept, the
 * checklist asks for the document again, staff see it marked withdrawn.
 */
const stack = useStack();
/** This file's own contact, plate and payout account (see ownAttributes). */
const attributes = (n: number) => ownAttributes(301, 'rut.lai', n);

let an: Api;
let binh: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, binh, hai, dung] = await signIn('an.nguyen', 'binh.tran', 'hai.do', 'dung.pham');
});

interface Doc {
  documentId: string;
  status: string;
  docType: string;
  withdrawable?: boolean;
}
const docOf = (c: { documents: Doc[] }, id: string) => c.documents.find((d) => d.documentId === id);

async function uploadPng(api: Api, claimId: string, docType: string, seed: number) {
  const bytes = pngBytes(6, 6, [seed, 77, 140]);
  const r = await api.post(`/claims/${claimId}/documents`, {
    docType,
    fileName: 'anh-hien-truong.png',
    contentType: 'image/png',
    size: bytes.length,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const up = await presignedPost(r.body.upload, bytes, 'image/png', 'anh-hien-truong.png');
  expect(up.status).toBeLessThan(300);
  return { documentId: r.body.documentId as string, bytes };
}

const withdraw = (
  api: Api,
  claimId: string,
  documentId: string,
  expectedVersion: number,
  key = randomUUID(),
) =>
  api.post(
    `/claims/${claimId}/documents/${documentId}/withdraw`,
    { expectedVersion },
    { 'idempotency-key': key },
  );

describe("the customer's own uploads", () => {
  it('opens a verified photo, withdraws it, asks for it again and keeps the bytes', async () => {
    const { claimId } = await fileParked(an, hai, {
      ...attributes(1),
      cause: 'collision',
      lossAt: hoursAgo(1_210),
      estimatedAmount: { amount: 36_100_000, currency: 'VND' },
    });
    const { documentId, bytes } = await uploadPng(an, claimId, 'damage_photos', 31);
    const before = await until(
      an,
      claimId,
      (x) => docOf(x, documentId)?.status === 'VERIFIED' && !x.missingDocuments.includes('damage_photos'),
    );
    expect(docOf(before, documentId)?.withdrawable).toBe(true);

    // Open: a short-lived link that shows the photo inline, with the very bytes sent.
    const dl = await an.get(`/claims/${claimId}/documents/${documentId}`);
    expect(dl.status).toBe(200);
    const url = new URL(dl.body.url);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^inline;/);
    const got = await fetch(dl.body.url);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);

    // Another customer neither opens nor withdraws it: the claim does not exist for them.
    expect((await binh.get(`/claims/${claimId}/documents/${documentId}`)).status).toBe(404);
    const foreign = await withdraw(binh, claimId, documentId, before.version);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('CLAIM_NOT_FOUND');
    // Staff do not withdraw for the customer; the route is the customer's.
    expect((await withdraw(hai, claimId, documentId, before.version)).status).toBe(403);
    // A withdrawal needs an Idempotency-Key and the version the screen showed.
    const noKey = await an.post(`/claims/${claimId}/documents/${documentId}/withdraw`, {
      expectedVersion: before.version,
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const stale = await withdraw(an, claimId, documentId, before.version - 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const key = randomUUID();
    const r = await withdraw(an, claimId, documentId, before.version, key);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.missingDocuments).toContain('damage_photos');
    // The same request again (a lost answer retried) answers the same and changes nothing more.
    const replay = await withdraw(an, claimId, documentId, before.version, key);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(r.body);

    const mine = await getClaim(an, claimId);
    expect(docOf(mine, documentId)).toMatchObject({ status: 'WITHDRAWN', withdrawable: false });
    expect(mine.missingDocuments).toContain('damage_photos');
    const events = mine.timeline.filter((e: { type: string }) => e.type === 'DocumentWithdrawn');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ by: 'customer', data: { documentId, docType: 'damage_photos' } });
    // The customer can no longer open it; staff still see it, marked withdrawn, and can open it.
    expect((await an.get(`/claims/${claimId}/documents/${documentId}`)).status).toBe(404);
    const staff = await getClaim(hai, claimId);
    expect(docOf(staff, documentId)?.status).toBe('WITHDRAWN');
    expect(staff.timeline.map((e: { type: string }) => e.type)).toContain('DocumentWithdrawn');
    expect((await hai.get(`/claims/${claimId}/documents/${documentId}`)).status).toBe(200);

    // Nothing is lost: the verified bytes stay where they were kept.
    const s3 = new S3Client({ forcePathStyle: true });
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: stack.env.DOCUMENTS_BUCKET,
        Key: `stored/claims/${claimId}/${documentId}`,
      }),
    );
    expect(head.ContentLength).toBe(bytes.length);
    s3.destroy();

    // Sending it again fills the checklist again.
    const again = await uploadPng(an, claimId, 'damage_photos', 32);
    await until(
      an,
      claimId,
      (x) =>
        docOf(x, again.documentId)?.status === 'VERIFIED' && !x.missingDocuments.includes('damage_photos'),
    );

    // The key names one withdrawal of one document: the same key and body on another document is
    // that document's request, not a replay of the first one's answer (which would say "withdrawn"
    // and leave it in place).
    const second = await uploadPng(an, claimId, 'damage_photos', 33);
    const both = await until(an, claimId, (x) => docOf(x, second.documentId)?.status === 'VERIFIED');
    const sharedKey = randomUUID();
    expect((await withdraw(an, claimId, again.documentId, both.version, sharedKey)).status).toBe(200);
    const other = await withdraw(an, claimId, second.documentId, both.version, sharedKey);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('VERSION_CONFLICT');
    expect(docOf(await getClaim(an, claimId), second.documentId)?.status).toBe('VERIFIED');
  });

  it('refuses a document staff uploaded, and any document once the claim is assessed', async () => {
    const { claimId } = await fileParked(an, hai, {
      ...attributes(2),
      cause: 'collision',
      lossAt: hoursAgo(1_310),
      estimatedAmount: { amount: 36_200_000, currency: 'VND' },
    });
    await uploadMissingDocuments(an, claimId, 33);
    let c = await getClaim(hai, claimId);
    const own = c.documents.find((d: Doc) => d.status === 'VERIFIED') as Doc;
    expect((await assignTo(hai, claimId, 'dung.pham')).status).toBe(200);
    await until(dung, claimId, parked());
    // The handler adds a photo of their own: not the customer's to withdraw.
    const byStaff = await uploadPng(dung, claimId, 'other', 34);
    c = await until(an, claimId, (x) => docOf(x, byStaff.documentId)?.status === 'VERIFIED');
    expect(docOf(c, byStaff.documentId)?.withdrawable).toBe(false);
    const notOwn = await withdraw(an, claimId, byStaff.documentId, c.version);
    expect(notOwn.status).toBe(403);
    expect(notOwn.body.error.code).toBe('DOCUMENT_NOT_OWN');

    c = await getClaim(dung, claimId);
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: 30_000_000, kind: 'repair' },
      ],
      marketValue: 650_000_000,
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const after = await until(
      an,
      claimId,
      (x) => x.status !== 'UNDER_ASSESSMENT' && x.status !== 'AWAITING_DOCUMENTS',
    );
    expect(docOf(after, own.documentId)?.withdrawable).toBe(false);
    const late = await withdraw(an, claimId, own.documentId, after.version);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('DOCUMENT_NOT_WITHDRAWABLE');
    expect(docOf(await getClaim(an, claimId), own.documentId)?.status).toBe('VERIFIED');
  });
});
