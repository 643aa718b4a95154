import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { s3 } from '../../lambdas/adapters/aws-clients.ts';
import { fileClaim, getClaim, hoursAgo, until } from '../helpers/claims.ts';
import { exeBytes, pngBytes, presignedPost } from '../helpers/files.ts';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * What is verified is what is served: an upload ticket stays usable for its whole lifetime, so the
 * landed bytes are moved out of its reach before they are judged, and only that copy is served.
 */
const stack = useStack();
let an: Api;
beforeAll(async () => {
  an = await apiAs(stack.apiUrl, 'an.nguyen');
});

async function ticketFor(claimId: string, bytes: Buffer, docType = 'damage_photos') {
  const r = await an.post(`/claims/${claimId}/documents`, {
    docType,
    fileName: 'anh-xe.png',
    contentType: 'image/png',
    size: bytes.length,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { documentId: string; upload: { url: string; fields: Record<string, string> } };
}

const download = async (url: string) => {
  const r = await fetch(url);
  return { bytes: Buffer.from(await r.arrayBuffer()), headers: r.headers };
};

describe('upload hardening', () => {
  it('a replayed upload ticket never changes what was verified and is served', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(20) });
    await until(an, claimId, (c) => c.status !== 'SUBMITTED', 15_000);
    const png = pngBytes(5, 5, [10, 200, 30]);
    const t = await ticketFor(claimId, png);
    expect((await presignedPost(t.upload, png, 'image/png', 'anh-xe.png')).status).toBeLessThan(300);
    await until(an, claimId, (c) => c.documents.some((d: { status: string }) => d.status === 'VERIFIED'));

    // The same ticket again, with an executable behind the same declared type.
    const exe = exeBytes();
    expect((await presignedPost(t.upload, exe, 'image/png', 'anh-xe.png')).status).toBeLessThan(300);
    const doc = await eventually(async () => {
      const r = await an.get(`/claims/${claimId}/documents/${t.documentId}`);
      return r.status === 200 ? r.body : undefined;
    });
    // The replay is taken aside as soon as it lands…
    await eventually(async () => {
      const c = await getClaim(an, claimId);
      return c.documents.filter((d: { documentId: string }) => d.documentId === t.documentId).length === 1
        ? true
        : undefined;
    });
    // …and the download serves the verified PNG, inline as an image.
    const served = await eventually(async () => {
      const d = await download(doc.url);
      return d.bytes.equals(png) ? d : undefined;
    });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(doc.size).toBe(png.length);
    // The replayed bytes are kept in quarantine with the reason, never under the served key.
    const quarantined = await eventually(async () => {
      const list = await fetch(
        `${stack.env.AWS_ENDPOINT_URL_S3}/${stack.env.DOCUMENTS_BUCKET}?prefix=quarantine/claims/${claimId}/${t.documentId}-replay`,
      );
      const text = await list.text();
      return text.includes('<Key>') ? text : undefined;
    });
    expect(quarantined).toContain(`<Key>quarantine/claims/${claimId}/${t.documentId}-replay</Key>`);

    // Posted again and again: still one copy aside, the first replay's (not one per post).
    const other = exeBytes().subarray(0, 64);
    for (let i = 0; i < 3; i++)
      expect((await presignedPost(t.upload, other, 'image/png', 'anh-xe.png')).status).toBeLessThan(300);
    // Each post lands and is verified (and refused) in turn: wait until the last has been handled.
    await new Promise((r) => setTimeout(r, 3_000));
    const list = await (
      await fetch(
        `${stack.env.AWS_ENDPOINT_URL_S3}/${stack.env.DOCUMENTS_BUCKET}?prefix=quarantine/claims/${claimId}/${t.documentId}-replay`,
      )
    ).text();
    expect(list.match(/<Key>/g)?.length).toBe(1);
    const kept = await s3().send(
      new GetObjectCommand({
        Bucket: stack.env.DOCUMENTS_BUCKET,
        Key: `quarantine/claims/${claimId}/${t.documentId}-replay`,
      }),
    );
    expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(exe)).toBe(true);
  });

  it('quarantines a file whose real size is not the declared one', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(22) });
    await until(an, claimId, (c) => c.status !== 'SUBMITTED', 15_000);
    const declared = pngBytes(6, 6, [1, 2, 3]);
    const t = await ticketFor(claimId, declared);
    // A real PNG still, but with 100 more bytes than declared.
    const other = Buffer.concat([pngBytes(6, 6, [4, 5, 6]), Buffer.alloc(100)]);
    expect((await presignedPost(t.upload, other, 'image/png', 'anh-xe.png')).status).toBeLessThan(300);
    const c = await until(an, claimId, (x) =>
      x.documents.some(
        (d: { documentId: string; status: string }) =>
          d.documentId === t.documentId && d.status === 'QUARANTINED',
      ),
    );
    const d = c.documents.find((x: { documentId: string }) => x.documentId === t.documentId);
    expect(d.rejectionReason).toBe('SIZE_MISMATCH');
  });

  it('serves a verified file from the stored copy, never from the key the ticket writes to', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(24) });
    await until(an, claimId, (c) => c.status !== 'SUBMITTED', 15_000);
    const png = pngBytes(4, 4, [50, 60, 70]);
    const t = await ticketFor(claimId, png);
    await presignedPost(t.upload, png, 'image/png', 'anh-xe.png');
    await until(an, claimId, (c) => c.documents.some((d: { status: string }) => d.status === 'VERIFIED'));
    // What is served is the stored copy, which no ticket can reach.
    const doc = (await an.get(`/claims/${claimId}/documents/${t.documentId}`)).body;
    expect(new URL(doc.url).pathname).toContain(`/stored/claims/${claimId}/${t.documentId}`);
    const stored = await s3().send(
      new GetObjectCommand({
        Bucket: stack.env.DOCUMENTS_BUCKET,
        Key: `stored/claims/${claimId}/${t.documentId}`,
      }),
    );
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(png)).toBe(true);
  });
});

describe('who may attach documents', () => {
  it('refuses an adjuster the claim is not assigned to, and records the real actor for the assignee', async () => {
    const { claimId } = await fileClaim(an, { cause: 'vandalism', lossAt: hoursAgo(26) });
    const c = await until(an, claimId, (x) => x.status !== 'SUBMITTED', 15_000);
    const staffView = await getClaim(await apiAs(stack.apiUrl, 'hai.do'), claimId);
    const assignee: string | undefined = staffView.assignee?.staffId;
    const outsider = ['dung.pham', 'giang.hoang', 'em.vo'].find(
      (u) => DEMO_USERS.find((d) => d.username === u)?.userId !== assignee,
    )!;
    const other = await apiAs(stack.apiUrl, outsider);
    const png = pngBytes(3, 3, [9, 9, 9]);
    const r = await other.post(`/claims/${claimId}/documents`, {
      docType: 'damage_photos',
      fileName: 'x.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect(r.status, `${outsider} on a claim assigned to ${assignee}`).toBe(403);
    expect(c.status).not.toBe('SUBMITTED');
  });
});
