import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { LONGEST_NOTICE_WINDOW_MS, NOTICE_WINDOW_MS } from '../../lambdas/core/notice-digest.ts';
import { eventually } from '../helpers/api.ts';
import { fileClaim, fileParked, getClaim, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { exeBytes, pdfBytes, pngBytes, presignedPost } from '../helpers/files.ts';
import { type Api, apiAs, fireDeadline, useStack } from '../helpers/stack.ts';

const stack = useStack();

interface Mail {
  subject: string;
  /** Epoch seconds (aws-ses-v2-local). */
  at: number;
  body?: { text?: string };
}
let an: Api;
let hai: Api;
beforeAll(async () => {
  [an, hai] = await Promise.all([apiAs(stack.apiUrl, 'an.nguyen'), apiAs(stack.apiUrl, 'hai.do')]);
});

async function upload(
  api: Api,
  claimId: string,
  docType: string,
  bytes: Buffer,
  contentType: string,
  fileName: string,
) {
  const intent = await api.post(`/claims/${claimId}/documents`, {
    docType,
    fileName,
    contentType,
    size: bytes.length,
  });
  expect(intent.status, JSON.stringify(intent.body)).toBe(201);
  expect(Date.parse(intent.body.upload.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
  const r = await presignedPost(intent.body.upload, bytes, contentType, fileName);
  expect(r.status).toBeLessThan(300);
  return intent.body.documentId as string;
}

const docOf = (c: any, id: string) => c.documents.find((d: { documentId: string }) => d.documentId === id);

describe('document uploads are verified when they land', () => {
  it('attaches a real PDF, recording its size, detected type and SHA-256', async () => {
    const { claimId } = await fileClaim(an);
    const id = await upload(an, claimId, 'claim_letter', pdfBytes(), 'application/pdf', 'giay-yeu-cau.pdf');
    // The claim and its documents are two reads: wait until both show the attachment.
    const c = await until(
      an,
      claimId,
      (x) => docOf(x, id)?.status === 'VERIFIED' && !x.missingDocuments.includes('claim_letter'),
    );
    expect(docOf(c, id)).toMatchObject({
      docType: 'claim_letter',
      contentType: 'application/pdf',
      size: pdfBytes().length,
    });
    expect(c.missingDocuments).not.toContain('claim_letter');
    const staff = await getClaim(hai, claimId);
    const verified = staff.timeline.find((e: { type: string }) => e.type === 'DocumentVerified');
    expect(verified.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    const dl = await an.get(`/claims/${claimId}/documents/${id}`);
    expect(dl.status).toBe(200);
    const bytes = Buffer.from(await (await fetch(dl.body.url)).arrayBuffer());
    expect(bytes.equals(pdfBytes())).toBe(true);
  });

  it('records every staff open of a document on the claim’s audit chain, not the customer’s own', async () => {
    // Parked for assessment, so the workflow is not moving the claim (and its version) meanwhile.
    const { claimId } = await fileParked(an, hai);
    const id = await upload(an, claimId, 'claim_letter', pdfBytes(), 'application/pdf', 'giay-yeu-cau.pdf');
    await until(hai, claimId, (x) => docOf(x, id)?.status === 'VERIFIED' && parked()(x));
    const opened = async () =>
      (await getClaim(hai, claimId)).timeline.filter((e: { type: string }) => e.type === 'DocumentOpened');
    const versionBefore = (await getClaim(hai, claimId)).version;

    expect((await an.get(`/claims/${claimId}/documents/${id}`)).status).toBe(200);
    expect(await opened()).toEqual([]);

    const dl = await hai.get(`/claims/${claimId}/documents/${id}`);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await (await fetch(dl.body.url)).arrayBuffer()).equals(pdfBytes())).toBe(true);
    await hai.get(`/claims/${claimId}/documents/${id}`);
    const records = await opened();
    expect(records).toHaveLength(2);
    const me = (await hai.get('/me')).body;
    expect(records[0]).toMatchObject({
      by: 'adjuster',
      actorId: me.userId,
      actorName: 'Đỗ Minh Hải',
      data: { documentId: id, docType: 'claim_letter', status: 'VERIFIED' },
    });
    // An audited read is not an edit: nobody's open screen goes stale.
    expect((await getClaim(hai, claimId)).version).toBe(versionBefore);
    // The chain still verifies with the reads on it; the customer never sees them.
    const audit = await hai.get(`/claims/${claimId}/audit`);
    expect(audit.body.verdict).toMatchObject({ ok: true });
    const customerView = await getClaim(an, claimId);
    expect(customerView.timeline.map((e: { type: string }) => e.type)).not.toContain('DocumentOpened');
  });

  it('quarantines an executable disguised as a photo, with the reason, and keeps the bytes', async () => {
    const { claimId } = await fileClaim(an);
    const id = await upload(an, claimId, 'damage_photos', exeBytes(), 'image/png', 'anh.png');
    const c = await until(an, claimId, (x) => docOf(x, id)?.status === 'QUARANTINED');
    expect(docOf(c, id).rejectionReason).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(c.missingDocuments).toContain('damage_photos');
    const s3 = new S3Client({ forcePathStyle: true });
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: stack.env.DOCUMENTS_BUCKET,
        Key: `quarantine/claims/${claimId}/${id}`,
      }),
    );
    expect(head.ContentLength).toBe(exeBytes().length);
    expect(head.Metadata?.['quarantine-reason']).toBe('FILE_TYPE_NOT_ALLOWED');
  });

  it('quarantines a file whose bytes contradict its declared type', async () => {
    const { claimId } = await fileClaim(an);
    const id = await upload(an, claimId, 'claim_letter', pngBytes(), 'application/pdf', 'don.pdf');
    const c = await until(an, claimId, (x) => docOf(x, id)?.status === 'QUARANTINED');
    expect(docOf(c, id).rejectionReason).toBe('TYPE_MISMATCH');
  });

  it('refuses an upload request of the wrong type or size before any bytes move', async () => {
    const { claimId } = await fileClaim(an);
    const exe = await an.post(`/claims/${claimId}/documents`, {
      docType: 'damage_photos',
      fileName: 'a.exe',
      contentType: 'application/x-msdownload',
      size: 10,
    });
    expect(exe.status).toBe(400);
    expect(exe.body.error.fields[0].path).toBe('contentType');
    const big = await an.post(`/claims/${claimId}/documents`, {
      docType: 'damage_photos',
      fileName: 'a.png',
      contentType: 'image/png',
      size: 50 * 1024 * 1024,
    });
    expect(big.status).toBe(400);
    const wrongList = await an.post(`/claims/${claimId}/documents`, {
      docType: 'boarding_pass',
      fileName: 'a.png',
      contentType: 'image/png',
      size: 10,
    });
    expect(wrongList.status).toBe(400);
    expect(wrongList.body.error.code).toBe('DOCUMENT_TYPE_NOT_IN_CHECKLIST');
  });

  it('takes a document the claim was filed to need after the checklist dropped its type', async () => {
    // Parked for assessment: the intake steps, which write the claim back, are done.
    const { claimId } = await fileParked(an, hai);
    const ask = { docType: 'boarding_pass', fileName: 've.pdf', contentType: 'application/pdf', size: 10 };
    expect((await an.post(`/claims/${claimId}/documents`, ask)).status).toBe(400);
    // As if filed when the product's checklist still asked for a boarding pass: the list the claim
    // was filed with is fixed on it, and its dossier completes only when that document arrives.
    const filed = await getClaim(an, claimId);
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.claim(claimId),
        UpdateExpression: 'SET requiredDocuments = :docs',
        ExpressionAttributeValues: { ':docs': [...filed.requiredDocuments, 'boarding_pass'] },
      }),
    );
    const res = await an.post(`/claims/${claimId}/documents`, ask);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.documentId).toEqual(expect.any(String));
  });

  it('marks the same file sent on two claims as a duplicate', async () => {
    const bytes = pngBytes(5, 5, [1, 2, 3]);
    const a = await fileClaim(an, { cause: 'theft' });
    const b = await fileClaim(an, { cause: 'fire' });
    const first = await upload(an, a.claimId, 'damage_photos', bytes, 'image/png', 'x.png');
    await until(an, a.claimId, (x) => docOf(x, first)?.status === 'VERIFIED');
    const second = await upload(an, b.claimId, 'damage_photos', bytes, 'image/png', 'x.png');
    await until(an, b.claimId, (x) => docOf(x, second)?.status === 'VERIFIED');
    const staff = await getClaim(hai, b.claimId);
    const ev = staff.timeline.find(
      (e: { type: string; data: { documentId?: string } }) =>
        e.type === 'DocumentVerified' && e.data.documentId === second,
    );
    expect(ev.data.duplicateOf).toEqual([`${a.claimId}/${first}`]);
  });

  it('records "dossier complete" once, when the last required document arrives (Art. 31 clock)', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'vandalism',
      estimatedAmount: { amount: 60_000_000, currency: 'VND' },
    });
    await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
    const c = await uploadMissingDocuments(an, claimId, 7);
    expect(c.dossierCompleteAt).toBeDefined();
    // The date is the Art. 31 payment deadline's, once the deadline engine has planned it (from the stream).
    const done = await until(
      an,
      claimId,
      (x) => x.status === 'UNDER_ASSESSMENT' && x.nextStep.dueAt !== undefined,
    );
    expect(done.timeline.filter((e: { type: string }) => e.type === 'DossierCompleted')).toHaveLength(1);
    expect(done.nextStep.code).toBe('ASSESSMENT');
    expect(Date.parse(done.nextStep.dueAt) - Date.parse(done.dossierCompleteAt)).toBeGreaterThan(
      14 * 86_400_000,
    );
    // No decision follows at once (the estimate is above straight-through), so the held notice is
    // sent on its own when its window ends (core/notice-digest.ts), once, with the Art. 31 due day.
    const { claimNumber } = done;
    // A scheduler clock moved forward (tests move the local one) fires it early: it is put off
    // again by what is left of the window, never decided before the window ends.
    const seq = ((await getClaim(hai, claimId)).timeline as { type: string; seq: number }[]).find(
      (e) => e.type === 'DossierCompleted',
    )!.seq;
    const now = new Date().toISOString();
    const early = await fireDeadline({
      claimId,
      kind: 'held_notice',
      seq,
      phase: 'due',
      dueAt: now,
      scheduledTime: now,
    });
    expect(early).toMatchObject({ outcome: 'early' });
    const scheduled = (await (await fetch(`${stack.schedulerUrl}/local/schedules`)).json()) as {
      schedules: { name: string }[];
    };
    expect(scheduled.schedules.map((x) => x.name)).toContain(`n-${claimId}-${seq}-1`);
    const notices = async () =>
      ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Mail[] }).emails.filter(
        (m) => m.subject === `[${claimNumber}] Chúng tôi đã nhận đủ hồ sơ bồi thường`,
      );
    const [notice] = await eventually(
      async () => ((await notices()).length > 0 ? await notices() : undefined),
      LONGEST_NOTICE_WINDOW_MS + 20_000,
      500,
    );
    // Sent when the window ended, not before (the mailbox keeps whole seconds).
    expect(notice!.at * 1000 - Date.parse(done.dossierCompleteAt)).toBeGreaterThanOrEqual(
      NOTICE_WINDOW_MS.DossierCompleted! - 1_000,
    );
    expect(notice!.body?.text).toMatch(/chậm nhất đến hết ngày \d{2}\/\d{2}\/\d{4}/);
    // The schedule put off again fires too: the notice is sent once all the same.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await notices()).toHaveLength(1);
  }, 90_000);
});
