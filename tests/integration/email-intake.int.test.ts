import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { emailKeys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  getEmailRecord,
  recordReceivedEmail,
  saveEmailRecord,
} from '../../lambdas/adapters/dynamo/inbound-email-repo.ts';
import { getClaim } from '../../lambdas/adapters/dynamo/claims-repo.ts';
import { customersByEmail, getUser, type UserProfile } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { postEmailMessage } from '../../lambdas/app/claim-thread.ts';
import { openUploadIntent } from '../../lambdas/app/documents.ts';
import {
  attachmentDocumentId,
  intakeIdFor,
  MAX_EMAIL_ATTACHMENTS,
  MAX_EMAIL_ATTEMPTS,
  receiveEmail,
} from '../../lambdas/app/email-intake.ts';
import type { Claim } from '../../lambdas/core/claim.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import type { InboundEmailRecord } from '../../lambdas/core/inbound-email.ts';
import { until } from '../helpers/claims.ts';
import { CLAIMS_INBOX, emailFixture, sendRaw } from '../helpers/email.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

/**
 * Claims by email, end to end on the local stack: real .eml files over SMTP to the SES receiving
 * stand-in, the raw message into S3 `inbound/`, the same handler the EventBridge rule runs on AWS,
 * and the replies read back from the SES stand-in's mailbox.
 */
const stack = useStack();
const port = Number(stack.env.LOCAL_SMTP_PORT);
let an: Api;
let binh: Api;
let hai: Api;
beforeAll(async () => {
  [an, binh, hai] = await Promise.all([
    apiAs(stack.apiUrl, 'an.nguyen'),
    apiAs(stack.apiUrl, 'binh.tran'),
    apiAs(stack.apiUrl, 'hai.do'),
  ]);
});

/** The record of a message once processing has finished (it is RECEIVED while in progress). */
const recordOf = (messageId: string, timeoutMs = 20_000) =>
  eventually(async () => {
    const r = await getEmailRecord(intakeIdFor(`<${messageId}>`));
    return r && r.outcome !== 'RECEIVED' ? r : undefined;
  }, timeoutMs);

/**
 * Every claim of the customer, all pages (the shared stack's demo customer has far more than one
 * page holds: a count of the first page would stay the same whatever was filed).
 */
async function claimIdsOf(api: Api): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const r = await api.get(`/claims?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    for (const c of r.body.items as { claimId: string }[]) ids.add(c.claimId);
    cursor = r.body.cursor;
  } while (cursor);
  return ids;
}
const newClaims = (now: Set<string>, before: Set<string>) => [...now].filter((id) => !before.has(id));

interface Mail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  at: number;
}
const mailbox = async (to: string): Promise<Mail[]> => {
  const r = await fetch(`${stack.mailUrl}/store`);
  const all = ((await r.json()) as { emails: Mail[] }).emails;
  return all.filter((m) => m.destination.to.includes(to));
};
const repliesTo = async (to: string, subject: RegExp) =>
  (await mailbox(to)).filter((m) => subject.test(m.subject));
/**
 * The automatic replies email intake sends (claim filed, documents added, intake record). Other
 * suites mail the same demo customer meanwhile (a completed file's notice comes 20 s after), so
 * "nothing was sent" counts these only.
 */
const INTAKE_REPLY = /qua email|thư bổ sung hồ sơ|từ email của/;

const s3 = new S3Client({ forcePathStyle: true });
async function rawStored(r: InboundEmailRecord) {
  expect(r.rawKey).toMatch(/^inbound\//);
  const head = await s3.send(new HeadObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: r.rawKey }));
  return head.ContentLength ?? 0;
}

async function send(name: string, vars: Record<string, string> = {}) {
  const raw = emailFixture(name, vars);
  const info = await sendRaw(port, raw);
  expect(info.response).toMatch(/^250/);
  return raw;
}

describe('claims by email', () => {
  let viClaim: { claimId: string; claimNumber: string };

  it('files a claim from a well-formed Vietnamese email, attaches its files through upload verification and replies', async () => {
    const raw = await send('vi-claim.eml');
    const r = await recordOf('vi-claim-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    expect(await rawStored(r)).toBe(raw.length);
    expect(r.verdicts).toMatchObject({ dkim: 'PASS', dmarc: 'PASS' });
    const c = await until(
      an,
      r.claimId as string,
      (x) => x.documents?.filter((d: { status: string }) => d.status === 'VERIFIED').length === 2,
    );
    expect(c).toMatchObject({
      claimNumber: r.claimNumber,
      policyNumber: 'MOT-2026-0001',
      channel: 'email',
      report: {
        cause: 'collision',
        lossPlace: { address: '123 Láng Hạ, Đống Đa, Hà Nội', province: 'Hà Nội' },
        estimatedAmount: { amount: 15_000_000 },
        payoutAccount: { bankName: 'Vietcombank', accountMask: '•••• 6789' },
      },
    });
    expect(c.report.lossAt).toMatch(/T14:30:00/);
    const types = c.documents.map((d: { docType: string }) => d.docType).sort();
    expect(types).toEqual(['damage_photos', 'repair_invoice']);
    expect(c.missingDocuments).not.toContain('damage_photos');

    const [reply] = await eventually(async () => {
      const m = await repliesTo('an.nguyen@example.vn', new RegExp(`^\\[${r.claimNumber}\\] Đã nhận`));
      return m.length > 0 ? m : undefined;
    });
    expect(reply?.body.text).toContain(r.claimNumber as string);
    expect(reply?.body.text).toContain(`#/claims/${r.claimId}`);
    expect(reply?.body.text).toContain('Còn thiếu:');
    expect(reply?.body.text).toContain('Giấy đăng ký xe');
    // The photo and the invoice it brought are being checked, not missing.
    expect(reply?.body.text).toContain('- anh-hien-truong.png (Ảnh chụp thiệt hại): đang kiểm tra\n');
    expect(reply?.body.text).toContain('- hoa-don-sua-chua.pdf (Hóa đơn sửa chữa): đang kiểm tra\n');
    expect(reply?.body.text).not.toMatch(/^- (Ảnh chụp thiệt hại|Hóa đơn sửa chữa)$/m);
    // What was read from the free text, for the customer to check.
    expect(reply?.body.text).toMatch(/- Thời gian xảy ra: 14:30 ngày \d\d\/\d\d\/\d{4}\n/);
    expect(reply?.body.text).toContain('- Địa điểm: 123 Láng Hạ, Đống Đa, Hà Nội\n');
    expect(reply?.body.text).toContain('- Nguyên nhân: Va chạm\n');
    expect(reply?.body.text).toContain('- Thiệt hại ước tính: 15.000.000\u00a0₫\n');
    expect(reply?.body.text).toContain('- Tài khoản nhận tiền: Vietcombank •••• 6789\n');
    expect(reply?.body.text).not.toContain('0123456789');
    viClaim = { claimId: r.claimId as string, claimNumber: r.claimNumber as string };
  });

  it('files a claim from an English email (property, fire) and answers in English', async () => {
    await send('en-claim.eml');
    const r = await recordOf('en-claim-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    const c = await until(binh, r.claimId as string, () => true);
    expect(c).toMatchObject({
      policyNumber: 'PRO-2026-0001',
      channel: 'email',
      locale: 'en',
      report: { cause: 'fire', lossPlace: { province: 'Đà Nẵng' }, estimatedAmount: { amount: 42_000_000 } },
    });
    expect(c.report.lossAt).toMatch(/T20:15:00/);
    const replies = await eventually(async () => {
      const m = await repliesTo('binh.tran@example.vn', /Your claim by email is received/);
      return m.length > 0 ? m : undefined;
    });
    expect(replies[0]?.body.text).toContain('Still missing:');
  });

  it('reads Vietnamese written without diacritics', async () => {
    await send('vi-no-diacritics.eml');
    const r = await recordOf('vi-nodiacritics-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    const c = await until(an, r.claimId as string, () => true);
    expect(c.report).toMatchObject({
      cause: 'collision',
      lossPlace: { province: 'Hà Nội' },
      estimatedAmount: { amount: 8_000_000 },
      payoutAccount: { bankName: 'Techcombank' },
    });
  });

  it('files a claim from an HTML-only email, reading its text and not its script', async () => {
    await send('vi-claim-html.eml');
    const r = await recordOf('vi-claim-html-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    const c = await until(an, r.claimId as string, () => true);
    expect(c).toMatchObject({
      policyNumber: 'MOT-2026-0001',
      channel: 'email',
      report: {
        cause: 'collision',
        lossPlace: { address: '45 Nguyễn Chí Thanh, Ba Đình, Hà Nội', province: 'Hà Nội' },
        estimatedAmount: { amount: 9_500_000 },
        payoutAccount: { bankName: 'Vietcombank', accountMask: '•••• 6789' },
      },
    });
    expect(c.report.lossAt).toMatch(/T08:15:00/);
    expect(c.report.description).not.toContain('không phải nội dung thư');
    expect(c.report.description).not.toContain('document.write');
  });

  it('reads a forwarded message, not the date of the forwarded header', async () => {
    await send('forwarded.eml');
    const r = await recordOf('forwarded-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    const c = await until(an, r.claimId as string, () => true);
    expect(c.report.lossAt).toMatch(/T07:15:00/);
    expect(c.report.lossAt.startsWith('2026-03-02')).toBe(false);
    expect(c.report.lossPlace.address).toContain('Đại lộ Thăng Long');
  });

  it('adds a reply’s attachments to the claim of its thread, answers the open information request, and refuses what is dangerous', async () => {
    expect(viClaim).toBeDefined();
    // An adjuster asks for information; the workflow then waits for the customer.
    const c0 = await until(hai, viClaim.claimId, (x) => x.waitingFor === 'assessment', 20_000);
    const ask = await hai.post(`/claims/${viClaim.claimId}/info-requests`, {
      expectedVersion: c0.version,
      message: 'Vui lòng gửi ảnh toàn cảnh hiện trường.',
      documents: ['damage_photos'],
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(201);
    await until(hai, viClaim.claimId, (x) => x.waitingFor === 'information');

    await send('reply-with-attachments.eml', { CLAIM_NUMBER: viClaim.claimNumber });
    const r = await recordOf('reply-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('ADDED_TO_CLAIM');
    expect(r.claimId).toBe(viClaim.claimId);
    expect(r.reasons).toContain('INFO_REQUEST_ANSWERED');
    const byName = Object.fromEntries(r.attachments.map((a) => [a.fileName, a]));
    expect(byName['cong-cu.exe']).toMatchObject({ outcome: 'REFUSED', reason: 'FILE_TYPE_NOT_ALLOWED' });
    expect(byName['anh-toan-canh.png']?.outcome).toBe('SUBMITTED');
    expect(byName['anh-bien-so.png']?.outcome).toBe('SUBMITTED');

    // The same verification as web uploads: the real photo is attached, the executable named .png is quarantined.
    const c = await until(
      hai,
      viClaim.claimId,
      (x) =>
        x.documents.some(
          (d: { documentId: string; status: string }) =>
            d.documentId === byName['anh-toan-canh.png']?.documentId && d.status === 'VERIFIED',
        ) &&
        x.documents.some(
          (d: { documentId: string; status: string }) =>
            d.documentId === byName['anh-bien-so.png']?.documentId && d.status === 'QUARANTINED',
        ) &&
        // Documents and events are two reads: wait for both to show the quarantine.
        x.timeline.some((e: { type: string }) => e.type === 'DocumentQuarantined'),
      20_000,
    );
    const types = c.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['InfoRequested', 'InfoProvided', 'DocumentQuarantined']));
    expect(c.documents.some((d: { fileName: string }) => d.fileName === 'cong-cu.exe')).toBe(false);
    const replies = await eventually(async () => {
      const m = await repliesTo(
        'an.nguyen@example.vn',
        new RegExp(`^\\[${viClaim.claimNumber}\\] Đã nhận thư bổ sung`),
      );
      return m.length > 0 ? m : undefined;
    });
    expect(replies[0]?.body.text).toContain('cong-cu.exe: không nhận');
    expect(replies[0]?.body.text).toContain('câu trả lời cho yêu cầu bổ sung thông tin');
  });

  it('a retry taking over a reply’s intake that failed after its writes repeats none of them', async () => {
    expect(viClaim).toBeDefined();
    const r = await recordOf('reply-0001@example.vn');
    const before = (await hai.get(`/claims/${viClaim.claimId}`)).body;
    // As if the first attempt had stopped just before saving its outcome, long enough ago to take over.
    await saveEmailRecord({
      ...r,
      outcome: 'RECEIVED',
      receivedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      version: r.version + 1,
    });
    expect(await receiveEmail(r.rawKey, systemClock)).toMatchObject({ outcome: 'ADDED_TO_CLAIM' });
    const again = (await getEmailRecord(r.intakeId)) as InboundEmailRecord;
    expect(again.reasons).toEqual(['INFO_REQUEST_ANSWERED']);
    expect(again.attachments.map((a) => a.documentId)).toEqual(r.attachments.map((a) => a.documentId));
    const after = (await hai.get(`/claims/${viClaim.claimId}`)).body;
    expect(after.documents).toHaveLength(before.documents.length);
    expect(after.infoRequests).toEqual(before.infoRequests);
    // The answer is not posted to the thread a second time as a message.
    const thread = await hai.get(`/claims/${viClaim.claimId}/messages?limit=50`);
    expect(thread.body.items.filter((m: { text: string }) => m.text.includes('Tôi gửi bổ sung ảnh'))).toEqual(
      [],
    );
  });

  it('a retry after an attempt that recorded an attachment but stored nothing stores the file, and it is verified', async () => {
    expect(viClaim).toBeDefined();
    const id = `stranded-attachment-${Date.now()}@example.vn`;
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPgqjgBRwzEcQAMshShTtjHEQAAAABJRU5ErkJggg==',
      'base64',
    );
    const raw = Buffer.from(
      [
        'X-SES-Spam-Verdict: PASS',
        'X-SES-Virus-Verdict: PASS',
        'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=an.nguyen@example.vn; dkim=pass header.i=@example.vn; dmarc=pass header.from=example.vn;',
        'From: an.nguyen@example.vn',
        `To: ${CLAIMS_INBOX}`,
        `Subject: Re: [${viClaim.claimNumber}] anh bo sung`,
        `Message-ID: <${id}>`,
        `Date: ${new Date().toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: image/png; name="anh-them.png"',
        'Content-Disposition: attachment; filename="anh-them.png"',
        'Content-Transfer-Encoding: base64',
        '',
        png.toString('base64'),
        '--b1--',
        '',
      ].join('\r\n'),
    );
    // The raw message where the intake reads it, outside inbound/ so no delivery runs on its own.
    const rawKey = `test-raw/${randomUUID()}.eml`;
    await s3.send(new PutObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: rawKey, Body: raw }));
    // The first attempt took the message and opened the attachment's upload intent, then stopped
    // before storing the file, long enough ago for a retry to take over.
    const intakeId = intakeIdFor(`<${id}>`);
    await recordReceivedEmail({
      intakeId,
      messageId: `<${id}>`,
      rawKey,
      from: 'an.nguyen@example.vn',
      subject: 'anh bo sung',
      receivedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      outcome: 'RECEIVED',
      reasons: [],
      attachments: [],
      version: 1,
    });
    const documentId = attachmentDocumentId(intakeId, 0);
    await openUploadIntent(
      (await getClaim(viClaim.claimId)) as Claim,
      { docType: 'damage_photos', fileName: 'anh-them.png', contentType: 'image/png', size: png.length },
      { by: 'customer' },
      systemClock,
      { documentId },
    );
    expect(await receiveEmail(rawKey, systemClock)).toMatchObject({ outcome: 'ADDED_TO_CLAIM' });
    const r = (await getEmailRecord(intakeId)) as InboundEmailRecord;
    expect(r.attachments).toEqual([expect.objectContaining({ outcome: 'SUBMITTED', documentId })]);
    // The retry stored the file: the upload verification judged it, and the customer sees it.
    await until(an, viClaim.claimId, (x) =>
      x.documents.some(
        (d: { documentId: string; status: string }) => d.documentId === documentId && d.status === 'VERIFIED',
      ),
    );
  });

  it('passes what a reply on its claim says to the claim’s handler, as a message on the claim’s thread', async () => {
    expect(viClaim).toBeDefined();
    // The earlier tests used up this sender's automatic replies for the hour (five): start a new hour.
    await dynamo().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: emailKeys.replyRate('an.nguyen@example.vn', new Date().toISOString().slice(0, 13)),
      }),
    );
    await send('reply-correction.eml', { CLAIM_NUMBER: viClaim.claimNumber });
    const r = await recordOf('reply-correction-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('ADDED_TO_CLAIM');
    expect(r.reasons).toEqual(['MESSAGE_POSTED']);
    expect(r.replied).toMatchObject({ kind: 'documents_received' });
    // Staff read it on the claim's thread, as the customer's, from e-mail, without the quoted reply.
    const thread = await hai.get(`/claims/${viClaim.claimId}/messages`);
    expect(thread.status).toBe(200);
    const [message] = thread.body.items;
    expect(message).toMatchObject({ from: 'customer', via: 'email' });
    expect(message.text).toMatch(/^Xin đính chính: địa điểm đúng là số 125 Láng Hạ/);
    expect(message.text).toContain('gara Thành Công');
    expect(message.text).not.toContain('Thông tin chúng tôi đọc được');
    // The customer sees it in the same thread, and the reply says where it went.
    const own = await an.get(`/claims/${viClaim.claimId}/messages`);
    // (Numbered among the thread's own messages: the chain's numbers are staff's.)
    expect(own.body.items[0]).toMatchObject({
      seq: own.body.items.length,
      at: message.at,
      text: message.text,
      from: 'customer',
      via: 'email',
    });
    expect(own.body.items[0].authorId).toBeUndefined();
    const replies = await eventually(async () => {
      const m = (
        await repliesTo(
          'an.nguyen@example.vn',
          new RegExp(`^\\[${viClaim.claimNumber}\\] Đã nhận thư bổ sung`),
        )
      ).filter((x) => x.body.text?.includes('đã được chuyển đến cán bộ bồi thường'));
      return m.length > 0 ? m : undefined;
    });
    expect(replies).toHaveLength(1);
    // The claim's handler is told, as for a message written in the app (in their own language).
    const assignee = (await getClaim(viClaim.claimId))?.assignee;
    const handler = assignee ? await getUser(assignee.staffId) : undefined;
    expect(handler?.email).toBeDefined();
    const told = await eventually(async () => {
      const m = (await mailbox(handler?.email as string)).filter(
        (x) => x.subject.startsWith(`[${viClaim.claimNumber}] `) && x.body.text?.includes('125 Láng Hạ'),
      );
      return m.length > 0 ? m : undefined;
    });
    expect(told).toHaveLength(1);
  });

  it('posts an e-mail to the thread once, however often its intake is retried', async () => {
    expect(viClaim).toBeDefined();
    const claim = (await getClaim(viClaim.claimId)) as Claim;
    const before = (await hai.get(`/claims/${viClaim.claimId}/messages?limit=50`)).body.items.length;
    const clock = { now: () => new Date() };
    const [customer] = await customersByEmail('an.nguyen@example.vn');
    expect(customer?.customerId).toBe(claim.customerId);
    // The same intake record posted twice (a retried intake): the second finds the first.
    const post = () =>
      postEmailMessage(claim.claimId, customer as UserProfile, 'Gửi lại lần nữa.', 'retried-intake', clock);
    expect(await post()).toBe('POSTED');
    expect(await post()).toBe('ALREADY_POSTED');
    const after = (await hai.get(`/claims/${viClaim.claimId}/messages?limit=50`)).body.items;
    expect(after.length).toBe(before + 1);
    expect(after.filter((m: { text: string }) => m.text === 'Gửi lại lần nữa.')).toHaveLength(1);
  });

  it('keeps malformed MIME as an intake record with the raw message, without failing', async () => {
    const raw = await send('malformed.eml');
    const r = await recordOf('malformed-0001@example.vn');
    expect(r.outcome).toBe('INTAKE');
    expect(r.claimId).toBeUndefined();
    expect(await rawStored(r)).toBe(raw.length);
  });

  it('holds a message in a pre-Unicode Vietnamese charset for a person: nothing read from it, no claim, no reply', async () => {
    const before = await repliesTo('an.nguyen@example.vn', INTAKE_REPLY);
    // The demo customer's well-formed claim, its body declared VISCII (as an old client would
    // send it): read as windows-1252 its place and names would be garbled.
    const raw = Buffer.from(
      emailFixture('vi-claim.eml')
        .toString('utf8')
        .replace('vi-claim-0001@', 'viscii-0001@')
        .replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain; charset=VISCII'),
    );
    expect((await sendRaw(port, raw)).response).toMatch(/^250/);
    const r = await recordOf('viscii-0001@example.vn');
    expect(r).toMatchObject({
      outcome: 'INTAKE',
      reasons: ['UNSUPPORTED_CHARSET'],
      replied: { suppressed: 'UNSUPPORTED_CHARSET' },
    });
    expect(r.claimId).toBeUndefined();
    expect(r.attachments.map((a) => a.outcome)).toEqual(r.attachments.map(() => 'KEPT_IN_MESSAGE'));
    expect(r.attachments.length).toBeGreaterThan(0);
    expect(await rawStored(r)).toBe(raw.length);
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(before.length);
  });

  it('refuses a message with a 30 MB attachment at SMTP, as SES does above 40 MB, and stores nothing', async () => {
    const before = await repliesTo('an.nguyen@example.vn', INTAKE_REPLY);
    const big = Buffer.alloc(30 * 1024 * 1024, 7)
      .toString('base64')
      .replace(/(.{76})/g, '$1\r\n');
    const head =
      emailFixture('vi-claim.eml').toString('utf8').split('--b1\r\nContent-Type: image/png')[0] ?? '';
    const raw = Buffer.from(
      `${head.replace('vi-claim-0001@', 'huge-0001@')}--b1\r\nContent-Type: application/pdf; name="big.pdf"\r\nContent-Disposition: attachment; filename="big.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b1--\r\n`,
    );
    await expect(sendRaw(port, raw)).rejects.toMatchObject({ responseCode: 552 });
    expect(await getEmailRecord(intakeIdFor('<huge-0001@example.vn>'))).toBeUndefined();
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(before.length);
  }, 60_000);

  it('files a claim from a person whose mail asks not to be answered automatically, and does not answer it', async () => {
    const id = `suppress-${Date.now()}@example.vn`;
    // Written again (a new Date): the same message under a new Message-ID would be a replay.
    const raw = emailFixture('vi-claim.eml')
      .toString('utf8')
      .replace(
        'Message-ID: <vi-claim-0001@example.vn>',
        `X-Auto-Response-Suppress: All\r\nMessage-ID: <${id}>`,
      )
      .replace(/^Date: .*$/m, `Date: ${new Date().toUTCString()}`);
    const before = (await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length;
    expect((await sendRaw(port, Buffer.from(raw, 'utf8'))).response).toMatch(/^250/);
    const r = await recordOf(id);
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    expect(r.replied).toEqual({ suppressed: 'AUTO_RESPONSE_SUPPRESSED' });
    await new Promise((ok) => setTimeout(ok, 500));
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(before);
  });

  it('never answers an auto-reply and files nothing from it', async () => {
    await send('auto-reply.eml');
    const r = await recordOf('auto-reply-0001@example.vn');
    expect(r).toMatchObject({
      outcome: 'IGNORED',
      reasons: ['AUTO_SUBMITTED'],
      replied: { suppressed: 'AUTO_SUBMITTED' },
    });
    expect(r.claimId).toBeUndefined();
    expect(await repliesTo('an.nguyen@example.vn', /Trả lời tự động/)).toEqual([]);
  });

  it('keeps a spoofed message (DKIM and DMARC failed) for staff: no claim, no reply, forged lower headers ignored', async () => {
    const before = (await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length;
    await send('spoof-dkim-fail.eml');
    const r = await recordOf('spoof-0001@attacker.example');
    expect(r.outcome).toBe('INTAKE');
    expect(r.reasons).toEqual(expect.arrayContaining(['UNTRUSTED_SENDER', 'VERDICT_DMARC']));
    expect(r.verdicts).toMatchObject({ dkim: 'FAIL', dmarc: 'FAIL' });
    expect(r.claimId).toBeUndefined();
    await new Promise((ok) => setTimeout(ok, 500));
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(before);
  });

  it('files one claim and sends one reply for the same message delivered twice', async () => {
    const before = await claimIdsOf(an);
    await send('duplicate.eml');
    await send('duplicate.eml');
    const r = await recordOf('duplicate-0001@example.vn');
    expect(r.outcome, JSON.stringify(r.reasons)).toBe('CLAIM_CREATED');
    await new Promise((ok) => setTimeout(ok, 1000));
    // Every claim she has now that she did not have before: the one this message filed, no other.
    expect(newClaims(await claimIdsOf(an), before)).toEqual([r.claimId]);
    // One automatic reply, and one acknowledgement notice (sent from the stream, a moment later).
    expect(r.replied).toMatchObject({ kind: 'claim_received' });
    const letters = async (subject: string) =>
      repliesTo('an.nguyen@example.vn', new RegExp(`^\\[${r.claimNumber}\\] ${subject}`));
    expect(await letters('Đã nhận yêu cầu bồi thường qua email')).toHaveLength(1);
    await eventually(async () =>
      (await letters('Chúng tôi đã nhận yêu cầu')).length > 0 ? true : undefined,
    );
    expect(await letters('Chúng tôi đã nhận yêu cầu')).toHaveLength(1);
    expect((await getEmailRecord(r.intakeId))?.version).toBe(r.version);
  });

  /** A message from a sender no customer uses, with `attachments` small text files. */
  const strangerMail = (messageId: string, attachments: number) => {
    // A boundary of its own, as mail clients make one: two such messages are not one content.
    const mix = `mix-${messageId.replace(/[^A-Za-z0-9-]/g, '')}`;
    const parts = Array.from({ length: attachments }, (_, i) =>
      [
        `--${mix}`,
        `Content-Type: text/plain; name="ghi-chu-${i}.txt"`,
        `Content-Disposition: attachment; filename="ghi-chu-${i}.txt"`,
        '',
        `Ghi chu ${i}`,
      ].join('\r\n'),
    );
    return Buffer.from(
      [
        'X-SES-Spam-Verdict: PASS',
        'X-SES-Virus-Verdict: PASS',
        'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=nguoi.la@example.org; dkim=pass header.i=@example.org; dmarc=pass header.from=example.org;',
        'From: nguoi.la@example.org',
        `To: ${CLAIMS_INBOX}`,
        'Subject: Xin boi thuong',
        `Message-ID: <${messageId}>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${mix}"`,
        '',
        `--${mix}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Xe cua toi bi hong, xin huong dan boi thuong.',
        ...parts,
        `--${mix}--`,
        '',
      ].join('\r\n'),
    );
  };

  it('takes the first attachments of a message that brings too many, and says the rest are in the raw message', async () => {
    const id = `many-attachments-${Date.now()}@example.org`;
    expect((await sendRaw(port, strangerMail(id, MAX_EMAIL_ATTACHMENTS + 5))).response).toMatch(/^250/);
    const r = await recordOf(id);
    expect(r.outcome).toBe('INTAKE');
    expect(r.reasons).toContain('TOO_MANY_ATTACHMENTS');
    expect(r.attachments).toHaveLength(MAX_EMAIL_ATTACHMENTS);
    expect(r.attachments[0]).toMatchObject({ fileName: 'ghi-chu-0.txt', outcome: 'KEPT_IN_MESSAGE' });
  });

  /** The intake record an earlier attempt at a stranger's message `id` took and did not finish. */
  const unfinishedAttempt = (
    id: string,
    over: Pick<InboundEmailRecord, 'rawKey' | 'receivedAt'> & Partial<InboundEmailRecord>,
  ) =>
    recordReceivedEmail({
      intakeId: intakeIdFor(`<${id}>`),
      messageId: `<${id}>`,
      from: 'nguoi.la@example.org',
      subject: 'Xin boi thuong',
      outcome: 'RECEIVED',
      reasons: [],
      attachments: [],
      version: 1,
      ...over,
    });

  it('a delivery while another attempt may still run fails, to be retried, rather than counting as a duplicate', async () => {
    const id = `in-progress-${Date.now()}@example.org`;
    // The raw message where the intake reads it, outside inbound/ so no delivery runs on its own.
    const rawKey = `test-raw/${randomUUID()}.eml`;
    await s3.send(
      new PutObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: rawKey, Body: strangerMail(id, 1) }),
    );
    // A first attempt took it a moment ago and has not finished.
    await unfinishedAttempt(id, { rawKey, receivedAt: new Date().toISOString() });
    await expect(receiveEmail(rawKey, systemClock)).rejects.toMatchObject({
      name: 'TransientDependencyError',
    });
    // Once it has long been abandoned, the retry takes it over and finishes it.
    const later = { now: () => new Date(Date.now() + 10 * 60_000) };
    expect(await receiveEmail(rawKey, later)).toMatchObject({ outcome: 'INTAKE' });
    expect((await getEmailRecord(intakeIdFor(`<${id}>`)))?.attempts).toBe(2);
  });

  it('holds a message that failed every attempt for a person: no claim, no reply', async () => {
    const id = `failing-${Date.now()}@example.org`;
    // As if MAX_EMAIL_ATTEMPTS attempts had each stopped part-way, the last long enough ago to take over.
    const long = new Date(Date.now() - 10 * 60_000).toISOString();
    await unfinishedAttempt(id, {
      rawKey: 'inbound/earlier-copy',
      receivedAt: long,
      attemptAt: long,
      attempts: MAX_EMAIL_ATTEMPTS,
    });
    const before = (await mailbox('nguoi.la@example.org')).length;
    expect((await sendRaw(port, strangerMail(id, 1))).response).toMatch(/^250/);
    const r = await recordOf(id);
    expect(r).toMatchObject({
      outcome: 'INTAKE',
      reasons: ['PROCESSING_FAILED'],
      attempts: MAX_EMAIL_ATTEMPTS + 1,
    });
    expect(r.replied).toEqual({ suppressed: 'PROCESSING_FAILED' });
    expect(r.text).toContain('Xe cua toi bi hong');
    await new Promise((ok) => setTimeout(ok, 500));
    expect((await mailbox('nguoi.la@example.org')).length).toBe(before);
  });

  it('shows staff a message whose processing stopped part-way once nothing runs it, and not one being processed', async () => {
    const stuck = `stuck-${Date.now()}@example.org`;
    const running = `running-${Date.now()}@example.org`;
    // Its attempts both failed part-way, the last long ago; Lambda retries no more (lib/stateless-stack.ts).
    const long = new Date(Date.now() - 10 * 60_000).toISOString();
    await unfinishedAttempt(stuck, {
      rawKey: 'inbound/stuck-copy',
      receivedAt: long,
      attemptAt: long,
      attempts: MAX_EMAIL_ATTEMPTS,
    });
    await unfinishedAttempt(running, {
      rawKey: 'inbound/running-copy',
      receivedAt: new Date().toISOString(),
    });
    const queue = await hai.get('/intake-records');
    expect(queue.status).toBe(200);
    const byId = new Map((queue.body.items as { intakeId: string }[]).map((i) => [i.intakeId, i] as const));
    expect(byId.get(intakeIdFor(`<${stuck}>`))).toMatchObject({
      outcome: 'RECEIVED',
      reasons: ['PROCESSING_STUCK'],
      from: 'nguoi.la@example.org',
    });
    expect(byId.has(intakeIdFor(`<${running}>`))).toBe(false);
    // Staff may act on it: link it to the customer they recognise.
    const linked = await hai.post(`/intake-records/${intakeIdFor(`<${stuck}>`)}/link`, {
      expectedVersion: 1,
      customerId: 'CUS-0001',
      policyNumber: 'MOT-2026-0001',
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    // The person took it from the machine: a late Lambda retry of the message leaves it as they left it.
    expect(await recordOf(stuck)).toMatchObject({ outcome: 'INTAKE', reasons: ['PROCESSING_STUCK'] });
    expect((await sendRaw(port, strangerMail(stuck, 1))).response).toMatch(/^250/);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(await recordOf(stuck)).toMatchObject({
      outcome: 'INTAKE',
      reasons: ['PROCESSING_STUCK'],
      attempts: MAX_EMAIL_ATTEMPTS,
      customerId: 'CUS-0001',
      linkedBy: { id: expect.any(String) },
    });
    const refused = await hai.post(`/intake-records/${intakeIdFor(`<${running}>`)}/link`, {
      expectedVersion: 1,
      customerId: 'CUS-0001',
      policyNumber: 'MOT-2026-0001',
    });
    expect(refused.status).toBe(404);
  });

  /** A raw message where the intake reads it, outside inbound/ so no delivery runs on its own. */
  const rawAt = async (raw: Buffer) => {
    const rawKey = `test-raw/${randomUUID()}.eml`;
    await s3.send(new PutObjectCommand({ Bucket: stack.env.DOCUMENTS_BUCKET, Key: rawKey, Body: raw }));
    return rawKey;
  };
  /**
   * The demo customer's signed claim, as its client wrote it: its own Message-ID, and a Date `hoursAgo`
   * (each test's its own, so no two are one content).
   */
  const signedClaim = (id: string, hoursAgo: number) =>
    emailFixture('vi-claim.eml')
      .toString('utf8')
      .replace('Message-ID: <vi-claim-0001@example.vn>', `Message-ID: <${id}>`)
      .replace(/^Date: .*$/m, `Date: ${new Date(Date.now() - hoursAgo * 3_600_000).toUTCString()}`);
  /** The same message with a new Message-ID put on top of its own (DKIM signs the bottom-most). */
  const withMessageIdOnTop = (raw: string, id: string) =>
    raw.replace('From: an.nguyen@example.vn\r\n', `Message-ID: <${id}>\r\nFrom: an.nguyen@example.vn\r\n`);

  it('does not process again a signed message replayed with a new Message-ID on top: no second claim, no reply', async () => {
    const id = `signed-${Date.now()}@example.vn`;
    const original = signedClaim(id, 1);
    expect((await sendRaw(port, Buffer.from(original, 'utf8'))).response).toMatch(/^250/);
    expect((await recordOf(id)).outcome).toBe('CLAIM_CREATED');
    const claims = await claimIdsOf(an);
    const replies = (await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length;

    const replayId = `replay-${Date.now()}@evil.example`;
    const replay = Buffer.from(withMessageIdOnTop(original, replayId), 'utf8');
    expect(await receiveEmail(await rawAt(replay), systemClock)).toEqual({
      intakeId: intakeIdFor(`<${id}>`),
      outcome: 'DUPLICATE',
    });
    expect(await getEmailRecord(intakeIdFor(`<${replayId}>`))).toBeUndefined();
    await new Promise((ok) => setTimeout(ok, 500));
    expect(newClaims(await claimIdsOf(an), claims)).toEqual([]);
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(replies);
  });

  it('holds a message with two Message-IDs for a person, whichever came first: nothing read, no claim, no reply', async () => {
    const id = `signed-unseen-${Date.now()}@example.vn`;
    const replayId = `replay-unseen-${Date.now()}@evil.example`;
    const claims = await claimIdsOf(an);
    const replies = (await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length;
    const raw = Buffer.from(withMessageIdOnTop(signedClaim(id, 2), replayId), 'utf8');
    expect((await sendRaw(port, raw)).response).toMatch(/^250/);
    const r = await recordOf(replayId);
    expect(r).toMatchObject({
      outcome: 'INTAKE',
      reasons: ['REPEATED_HEADER'],
      replied: { suppressed: 'REPEATED_HEADER' },
      verdicts: { dkim: 'PASS', dmarc: 'PASS' },
    });
    expect(r.parsed).toBeUndefined();
    expect(r.claimId).toBeUndefined();
    expect(r.attachments.map((a) => a.outcome)).toEqual(r.attachments.map(() => 'KEPT_IN_MESSAGE'));
    expect(await rawStored(r)).toBe(raw.length);
    // Staff see it on their queue.
    const queue = (await hai.get('/intake-records')).body.items as { intakeId: string }[];
    expect(queue.map((i) => i.intakeId)).toContain(r.intakeId);
    await new Promise((ok) => setTimeout(ok, 500));
    expect(newClaims(await claimIdsOf(an), claims)).toEqual([]);
    expect((await repliesTo('an.nguyen@example.vn', INTAKE_REPLY)).length).toBe(replies);
  });

  it('takes two deliveries of a message without Message-ID, differing only in the headers SES adds, for one message', async () => {
    const sender = `khong-ma-${Date.now()}@example.org`;
    const message = [
      'From: ' + sender,
      `To: ${CLAIMS_INBOX}`,
      'Subject: Xin boi thuong',
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Xe cua toi bi hong, xin huong dan boi thuong.',
      '',
    ].join('\r\n');
    /** What SES puts on top of each delivery: its own receipt and hop, and its verdicts. */
    const delivered = (n: number) =>
      Buffer.from(
        [
          `Received: from mail-${n}.example.org (mail-${n}.example.org [203.0.113.${n}]) by inbound-smtp.ap-southeast-1.amazonaws.com with SMTP id ses${n}${Date.now()}`,
          `X-SES-Receipt: AEFBQUFBQUFBQUFH${n}`,
          'X-SES-Spam-Verdict: PASS',
          'X-SES-Virus-Verdict: PASS',
          `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=${sender}; dkim=pass header.i=@example.org; dmarc=pass header.from=example.org;`,
          message,
        ].join('\r\n'),
      );
    expect((await sendRaw(port, delivered(1))).response).toMatch(/^250/);
    const held = await eventually(async () => {
      const items = (await hai.get('/intake-records')).body.items as { from?: string; intakeId: string }[];
      const mine = items.filter((i) => i.from === sender);
      return mine.length > 0 ? mine : undefined;
    });
    expect(held).toHaveLength(1);
    const first = (await getEmailRecord(held[0]?.intakeId as string)) as InboundEmailRecord;
    expect(first.messageId).toMatch(/@no-message-id>$/);
    expect(await receiveEmail(await rawAt(delivered(2)), systemClock)).toEqual({
      intakeId: first.intakeId,
      outcome: 'DUPLICATE',
    });
    const items = (await hai.get('/intake-records')).body.items as { from?: string }[];
    expect(items.filter((i) => i.from === sender)).toHaveLength(1);
    expect((await getEmailRecord(first.intakeId))?.version).toBe(first.version);
    expect(await repliesTo(sender, /./)).toHaveLength(1);
  });

  it('keeps mail from an unknown sender as an intake record and says exactly what is missing', async () => {
    await send('unknown-sender.eml');
    const r = await recordOf('unknown-0001@example.org');
    expect(r.outcome).toBe('INTAKE');
    expect(r.reasons).toEqual(expect.arrayContaining(['known_sender', 'loss_date', 'loss_place']));
    const replies = await eventually(async () => {
      const m = await repliesTo('nguoi.la@example.org', /Chưa thể lập hồ sơ/);
      return m.length > 0 ? m : undefined;
    });
    expect(replies[0]?.body.text).toContain('chưa được đăng ký');
    expect(replies[0]?.body.text).toContain('Ngày xảy ra sự cố');
    expect(CLAIMS_INBOX).toBe(stack.env.CLAIMS_INBOX_ADDRESS);
  });
});

describe('intake records in the console API', () => {
  it('lets staff look through the mail ignored as automatic, newest first, apart from the queue', async () => {
    const r = await recordOf('auto-reply-0001@example.vn');
    expect(r.outcome).toBe('IGNORED');
    const ignored = await hai.get('/intake-records?outcome=IGNORED');
    expect(ignored.status).toBe(200);
    const item = ignored.body.items.find((i: { intakeId: string }) => i.intakeId === r.intakeId);
    expect(item).toMatchObject({ outcome: 'IGNORED', reasons: ['AUTO_SUBMITTED'], from: r.from });
    // Who wrote and about what; the text stays in the raw message.
    expect(item.text).toBeUndefined();
    const received = (ignored.body.items as { receivedAt: string }[]).map((i) => i.receivedAt);
    expect(received).toEqual([...received].sort().reverse());
    const queue = await hai.get('/intake-records');
    expect(queue.body.items.map((i: { intakeId: string }) => i.intakeId)).not.toContain(r.intakeId);
    expect((await hai.get('/intake-records?outcome=CLAIM_CREATED')).status).toBe(400);
    expect((await an.get('/intake-records?outcome=IGNORED')).status).toBe(403);
  });

  it('lets staff link an unknown sender’s message to a customer and policy and make it a claim', async () => {
    const r = await recordOf('unknown-0001@example.org');
    const queue = await hai.get('/intake-records');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { intakeId: string }) => i.intakeId)).toContain(r.intakeId);
    // Customers never see the queue.
    expect((await an.get('/intake-records')).status).toBe(403);

    const item = queue.body.items.find((i: { intakeId: string }) => i.intakeId === r.intakeId);
    expect(item.text).toContain('xin hướng dẫn');

    const wrong = await hai.post(`/intake-records/${r.intakeId}/link`, {
      expectedVersion: r.version,
      customerId: 'CUS-0001',
      policyNumber: 'PRO-2026-0001',
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('POLICY_NOT_FOUND');
    const linked = await hai.post(`/intake-records/${r.intakeId}/link`, {
      expectedVersion: r.version,
      customerId: 'CUS-0001',
      policyNumber: 'MOT-2026-0001',
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);

    const incomplete = await hai.post(`/intake-records/${r.intakeId}/claim`, {
      expectedVersion: linked.body.version,
    });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error).toMatchObject({ code: 'INTAKE_INCOMPLETE' });
    expect(incomplete.body.error.missing).toEqual(
      expect.arrayContaining(['loss_date', 'loss_place', 'payout_account']),
    );

    const made = await hai.post(`/intake-records/${r.intakeId}/claim`, {
      expectedVersion: linked.body.version,
      lossAt: new Date(Date.now() - 46 * 86_400_000).toISOString(),
      lossPlace: { address: '5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội', province: 'Hà Nội' },
      cause: 'collision',
      payoutAccount: { bankName: 'Vietcombank', accountNumber: '0123456789', accountHolder: 'Nguyễn Văn An' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const c = await until(hai, made.body.claim.claimId, () => true);
    expect(c).toMatchObject({ channel: 'email', policyNumber: 'MOT-2026-0001' });
    const again = await hai.post(`/intake-records/${r.intakeId}/claim`, {
      expectedVersion: made.body.version,
    });
    expect(again.status).toBe(409);
    const after = await hai.get('/intake-records');
    expect(after.body.items.map((i: { intakeId: string }) => i.intakeId)).not.toContain(r.intakeId);
  });
});
