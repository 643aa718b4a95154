import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { putPolicy } from '../../lambdas/adapters/dynamo/policies-repo.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { assessByRule } from '../../lambdas/app/straight-through.ts';
import { businessDate, systemClock } from '../../lambdas/core/time.ts';
import { fileClaim, getClaim, hoursAgo, until } from '../helpers/claims.ts';
import { makePolicy } from '../helpers/factories.ts';
import { pdfBytes, pngBytes, presignedPost } from '../helpers/files.ts';
import { LONGEST_NOTICE_WINDOW_MS } from '../../lambdas/core/notice-digest.ts';
import { approvedBy, secondAdmin } from '../helpers/four-eyes.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';

interface Mail {
  subject: string;
  destination: { to: string[] };
  body?: { text?: string };
}

/**
 * Straight-through pays what is evidenced (the e-invoice total, or the amount declared with the
 * repair invoice), never the customer's estimate; everything it cannot vouch for waits for a person.
 * Each test files on a policy of its own, so the duplicate and waiting-period rules see only it.
 */
const stack = useStack();
const as = (username: string) => apiAs(stack.apiUrl, username);

let an: Api;
let hai: Api;
let dung: Api;
let admin: Api;
beforeAll(async () => {
  [an, hai, dung, admin] = await Promise.all([as('an.nguyen'), as('hai.do'), as('dung.pham'), as('admin')]);
});

const DAY = 86_400_000;

/** Policies made for these tests, removed afterwards so an.nguyen's policy list stays the demo one. */
const made: string[] = [];
afterAll(async () => {
  await Promise.all(
    made.map((n) => dynamo().send(new DeleteCommand({ TableName: tableName(), Key: keys.policy(n) }))),
  );
});

/** A MOTOR_OD policy of an.nguyen's that started `ageDays` ago (deductible 10 %, minimum 500,000). */
async function policy(ageDays = 200): Promise<string> {
  const policyNumber = `MOT-STP-${randomUUID().slice(0, 8)}`;
  made.push(policyNumber);
  const start = businessDate(new Date(Date.now() - ageDays * DAY));
  const end = businessDate(new Date(Date.now() + 200 * DAY));
  await putPolicy(
    makePolicy({
      policyNumber,
      effectiveFrom: `${start}T00:00:00+07:00`,
      effectiveTo: `${end}T23:59:59+07:00`,
    }),
  );
  return policyNumber;
}

/** The valid fixture with a number of its own, dated `issuedOn` (default: today in Vietnam). */
function einvoice(o: { number?: number; issuedOn?: string; fixture?: string } = {}) {
  const xml = readFileSync(
    new URL(`../fixtures/einvoices/${o.fixture ?? 'valid'}.xml`, import.meta.url),
    'utf8',
  );
  const number = o.number ?? Math.floor(Math.random() * 90_000_000) + 1_000_000;
  return {
    number,
    bytes: Buffer.from(
      xml
        .replace(/<SHDon>\d+<\/SHDon>/, `<SHDon>${number}</SHDon>`)
        .replace(/<NLap>[\d-]+<\/NLap>/, `<NLap>${o.issuedOn ?? businessDate(new Date())}</NLap>`),
      'utf8',
    ),
  };
}

async function upload(
  api: Api,
  claimId: string,
  docType: string,
  bytes: Buffer,
  contentType: string,
  declaredAmount?: number,
) {
  const ext = contentType.split('/')[1];
  const r = await api.post(`/claims/${claimId}/documents`, {
    docType,
    fileName: `${docType}.${ext}`,
    contentType,
    size: bytes.length,
    ...(declaredAmount !== undefined ? { declaredAmount } : {}),
  });
  if (r.status !== 201) return r;
  const up = await presignedPost(r.body.upload, bytes, contentType, `${docType}.${ext}`);
  expect(up.status).toBeLessThan(300);
  return r;
}

const docStatus = (c: any, documentId: string) =>
  (c.documents as { documentId: string; status: string }[]).find((d) => d.documentId === documentId)?.status;

/** Files a 9,500,000 collision claim and sends every required document but the repair invoice. */
async function claimWithoutInvoice(policyNumber: string, o: { estimate?: number; reuse?: boolean } = {}) {
  const { claimId } = await fileClaim(an, {
    policyNumber,
    cause: 'collision',
    lossAt: hoursAgo(30),
    estimatedAmount: { amount: o.estimate ?? 9_500_000, currency: 'VND' },
  });
  await until(an, claimId, (c) => c.status === 'AWAITING_DOCUMENTS');
  const c = await getClaim(an, claimId);
  const photo = pngBytes(4, 4, [17, 99, Math.floor(Math.random() * 255)]);
  let i = 0;
  for (const docType of c.missingDocuments as string[]) {
    i += 1;
    if (docType === 'repair_invoice') continue;
    const reused = o.reuse && (docType === 'vehicle_registration' || docType === 'damage_photos');
    const bytes = reused
      ? photo
      : docType === 'claim_letter'
        ? pdfBytes(`letter ${claimId}`)
        : pngBytes(3, 3, [i * 9, 40, 200]);
    const type = docType === 'claim_letter' ? 'application/pdf' : 'image/png';
    const r = await upload(an, claimId, docType, bytes, type);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  await until(an, claimId, (x) => x.missingDocuments.length === 1);
  return claimId;
}

/** Waits until the claim is parked for a person with the straight-through verdict recorded after the dossier completed. */
const heldForPerson = (claimId: string) =>
  until(
    hai,
    claimId,
    (x) =>
      x.status === 'UNDER_ASSESSMENT' &&
      x.waitingFor === 'assessment' &&
      x.dossierCompleteAt &&
      !x.straightThrough?.reasons.includes('DOSSIER_INCOMPLETE'),
    15_000,
  );

describe('straight-through pays what is evidenced', () => {
  it('pays the e-invoice total, not the estimate, and shows the invoice', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    const inv = einvoice();
    const r = await upload(an, claimId, 'repair_invoice', inv.bytes, 'application/xml');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const done = await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 15_000);
    // 6,600,000 on the invoice (VAT included) less the 10 % deductible; the estimate was 9,500,000.
    expect(done.straightThrough).toMatchObject({
      eligible: true,
      evidence: {
        amount: 6_600_000,
        basis: 'einvoice',
        invoices: [{ series: '1C26TGR', number: String(inv.number) }],
      },
    });
    expect(done.decision.amount).toEqual({ amount: 5_940_000, currency: 'VND' });
    expect(done.assessment.input.items).toEqual([
      expect.objectContaining({ assessedAmount: 6_600_000, kind: 'repair' }),
    ]);
    const doc = done.documents.find((d: { docType: string }) => d.docType === 'repair_invoice');
    expect(doc.einvoice).toMatchObject({
      seller: { taxCode: '0101234567' },
      totals: { total: 6_600_000, tax: 600_000 },
    });
    expect(doc.einvoice.lines).toHaveLength(2);
  });

  it('pays the amount declared with an invoice PDF when there is no e-invoice', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    const r = await upload(
      an,
      claimId,
      'repair_invoice',
      pdfBytes(`invoice ${claimId}`),
      'application/pdf',
      7_000_000,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const done = await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 15_000);
    expect(done.straightThrough.evidence).toMatchObject({ amount: 7_000_000, basis: 'declared' });
    expect(done.decision.amount.amount).toBe(6_300_000);
  });

  it('tells the customer once that the file is complete, approved and paid: one e-mail and one SMS, not one for each', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    const { claimNumber } = await getClaim(an, claimId);
    await upload(an, claimId, 'repair_invoice', pdfBytes(`invoice ${claimId}`), 'application/pdf', 7_000_000);
    await until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 15_000);
    const mails = async () =>
      ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Mail[] }).emails.filter(
        (m) =>
          m.subject.includes(claimNumber) &&
          !m.destination.to.some((a) => a.endsWith('@insurer.example.vn')) &&
          !m.subject.includes('đã nhận yêu cầu'), // the acknowledgement, sent when it was filed
      );
    const texts = async () =>
      (
        (await (await fetch(`${stack.inboxUrl}/inbox`)).json()) as {
          kind: string;
          to: string;
          message: string;
        }[]
      ).filter((m) => m.kind === 'sms' && m.message.includes(claimNumber));
    const first = await eventually(
      async () => ((await mails()).length > 0 ? await mails() : undefined),
      30_000,
    );
    // A separate approval or completed-file notice would come within its window
    // (core/notice-digest.ts): wait them out.
    await new Promise((r) => setTimeout(r, LONGEST_NOTICE_WINDOW_MS + 3_000));
    const sent = await mails();
    const sms = await texts();
    const recipients = new Set(sent.map((m) => m.destination.to.join(',')));
    // When they were not one message, say how far apart the events were.
    const timeline = ((await getClaim(hai, claimId)).timeline as { type: string; at: string }[])
      .filter((e) => ['DossierCompleted', 'ClaimApproved', 'PaymentQueued'].includes(e.type))
      .map((e) => `${e.type}@${e.at}`)
      .join(' ');
    expect(sent.length, `${sent.map((m) => m.subject).join(' | ')} — ${timeline}`).toBe(recipients.size);
    expect(sms.length, sms.map((m) => m.message).join(' | ')).toBe(new Set(sms.map((m) => m.to)).size);
    expect(sms.length).toBeGreaterThan(0);
    // The one message says all of it, greets the customer by name and gives the Art. 31 due date.
    const mail = first[0]!;
    expect(mail.subject).toContain('được chấp thuận');
    expect(mail.subject).toContain('lệnh chi');
    const text = mail.body?.text ?? '';
    expect(text.startsWith('Kính gửi anh/chị Nguyễn Văn An,')).toBe(true);
    expect(text).toContain('Điều 31');
    // The completed file is told in it, not in a message of its own a few seconds earlier.
    expect(text).toMatch(
      /Chúng tôi đã nhận đủ tài liệu của hồ sơ lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}\./,
    );
    expect(text).toMatch(/hết ngày \d{2}\/\d{2}\/\d{4}/);
    expect(sms[0]!.message).toContain('đã được chấp thuận');
  }, 90_000);

  it('holds a claim whose invoice shows more than the estimate', async () => {
    const claimId = await claimWithoutInvoice(await policy(), { estimate: 6_000_000 });
    await upload(an, claimId, 'repair_invoice', einvoice().bytes, 'application/xml');
    const held = await heldForPerson(claimId);
    expect(held.straightThrough.reasons).toEqual(['EVIDENCE_ABOVE_ESTIMATE']);
    expect(held.decision).toBeUndefined();
  });

  it('refuses XML or a declared amount for a registration, and holds a damage photo filed as the registration', async () => {
    const policyNumber = await policy();
    const { claimId } = await fileClaim(an, { policyNumber, cause: 'theft', lossAt: hoursAgo(20) });
    const xml = await upload(an, claimId, 'vehicle_registration', einvoice().bytes, 'application/xml');
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('DOCUMENT_CONTENT_NOT_ACCEPTED');
    const declared = await upload(an, claimId, 'vehicle_registration', pngBytes(), 'image/png', 5_000_000);
    expect(declared.status).toBe(400);
    expect(declared.body.error.code).toBe('DECLARED_AMOUNT_NOT_ALLOWED');

    const reused = await claimWithoutInvoice(policyNumber, { reuse: true });
    await upload(an, reused, 'repair_invoice', einvoice().bytes, 'application/xml');
    const held = await heldForPerson(reused);
    expect(held.straightThrough.reasons).toContain('DOCUMENT_REUSED');
    expect(held.decision).toBeUndefined();
  });

  it('quarantines XML that is not an e-invoice, with the parser’s reason', async () => {
    const { claimId } = await fileClaim(an, {
      policyNumber: await policy(),
      cause: 'flood',
      lossAt: hoursAgo(20),
    });
    const bad = readFileSync(new URL('../fixtures/einvoices/malformed.xml', import.meta.url));
    const r = await upload(an, claimId, 'repair_invoice', bad, 'application/xml');
    const c = await until(an, claimId, (x) => docStatus(x, r.body.documentId) === 'QUARANTINED');
    const doc = c.documents.find((d: { documentId: string }) => d.documentId === r.body.documentId);
    expect(doc.rejectionReason).toBe('EINVOICE_MALFORMED');
  });

  it('holds an e-invoice dated before the loss', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    const before = businessDate(new Date(Date.now() - 10 * DAY));
    await upload(an, claimId, 'repair_invoice', einvoice({ issuedOn: before }).bytes, 'application/xml');
    const held = await heldForPerson(claimId);
    expect(held.straightThrough.reasons).toEqual(['INVOICE_BEFORE_LOSS']);
  });

  it('holds an e-invoice issued to someone else', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    await upload(
      an,
      claimId,
      'repair_invoice',
      einvoice({ fixture: 'other-buyer' }).bytes,
      'application/xml',
    );
    const held = await heldForPerson(claimId);
    expect(held.straightThrough.reasons).toEqual(['INVOICE_BUYER_MISMATCH']);
  });

  it('does not pay on an invoice withdrawn after the rule let the claim through: a person assesses', async () => {
    const claimId = await claimWithoutInvoice(await policy());
    const invoice = await upload(
      an,
      claimId,
      'repair_invoice',
      einvoice({ fixture: 'other-buyer' }).bytes,
      'application/xml',
    );
    const held = await heldForPerson(claimId);
    expect(held.straightThrough.evidence.amount).toBeGreaterThan(0);
    // The customer withdraws the invoice…
    const withdrawn = await an.post(
      `/claims/${claimId}/documents/${invoice.body.documentId}/withdraw`,
      { expectedVersion: (await getClaim(an, claimId)).version },
      { 'idempotency-key': randomUUID() },
    );
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    // …just after the verdict let the claim through on it (the verdict as it was recorded then).
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.claim(claimId),
        UpdateExpression: 'SET straightThrough.eligible = :yes, straightThrough.reasons = :none',
        ExpressionAttributeValues: { ':yes': true, ':none': [] },
      }),
    );
    await expect(assessByRule(claimId, systemClock)).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { reasons: expect.arrayContaining(['NO_EVIDENCED_AMOUNT']) },
    });
    const after = await getClaim(hai, claimId);
    expect(after.decision).toBeUndefined();
    expect(after.status).not.toBe('APPROVED');
  });

  it('flags the same invoice on two claims, on both, and holds the second', async () => {
    const inv = einvoice();
    const { claimId: first } = await fileClaim(an, {
      policyNumber: await policy(),
      cause: 'fire',
      lossAt: hoursAgo(40),
    });
    await upload(an, first, 'repair_invoice', inv.bytes, 'application/xml');
    await until(an, first, (x) => x.documents.some((d: { status: string }) => d.status === 'VERIFIED'));

    const second = await claimWithoutInvoice(await policy());
    await upload(an, second, 'repair_invoice', inv.bytes, 'application/xml');
    const held = await heldForPerson(second);
    expect(held.straightThrough.reasons).toEqual(['INVOICE_DUPLICATE']);
    expect(held.invoiceFlags).toEqual([
      expect.objectContaining({ code: 'INVOICE_DUPLICATE', number: String(inv.number), otherClaimId: first }),
    ]);
    const firstNow = await until(hai, first, (x) => (x.invoiceFlags ?? []).length > 0);
    expect(firstNow.invoiceFlags[0]).toMatchObject({ otherClaimId: second, sellerTaxCode: '0101234567' });
    expect(firstNow.timeline.map((e: { type: string }) => e.type)).toContain('InvoiceFlagged');
    // Customers never see the flag.
    const customerView = await getClaim(an, second);
    expect(customerView.invoiceFlags).toBeUndefined();
    expect(customerView.straightThrough).toBeUndefined();
  });

  it('holds the first claim on a policy younger than the product’s waiting period', async () => {
    const claimId = await claimWithoutInvoice(await policy(5));
    await upload(an, claimId, 'repair_invoice', einvoice().bytes, 'application/xml');
    const held = await heldForPerson(claimId);
    // A loss five days after inception is also a fraud red flag: the claim may be with the SIU too.
    const reasons = held.straightThrough.reasons.filter((r: string) => r !== 'FRAUD_INDICATORS');
    expect(reasons).toEqual(['WAITING_PERIOD']);
  });
});

describe('post-audit sampling of straight-through payments', () => {
  interface ConfigItem {
    code: string;
    version: number;
    config: Record<string, any>;
  }
  const motor = async () =>
    ((await admin.get('/admin/products')).body.items as ConfigItem[]).find((i) => i.code === 'MOTOR_OD')!;
  let original: Record<string, any>;
  const setShare = async (postAuditShareBps: number) => {
    const m = await motor();
    // A lower share loosens a money control: a second administrator approves it.
    const r = await approvedBy(
      (await secondAdmin(useStack().apiUrl)).api,
      await admin.raw('/admin/products/MOTOR_OD', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          expectedVersion: m.version,
          config: { ...m.config, straightThrough: { ...m.config.straightThrough, postAuditShareBps } },
        }),
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  beforeAll(async () => {
    original = (await motor()).config;
  });
  afterAll(async () => {
    const m = await motor();
    await approvedBy(
      (await secondAdmin(useStack().apiUrl)).api,
      await admin.raw('/admin/products/MOTOR_OD', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expectedVersion: m.version, config: original }),
      }),
    );
  });

  /** A supervisor (and nothing else) of their own, approved by the second administrator. */
  async function newSupervisor(): Promise<Api> {
    const username = `audit.${randomUUID().slice(0, 8)}`;
    const created = await approvedBy(
      (await secondAdmin(useStack().apiUrl)).api,
      await admin.raw('/admin/staff/new', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username,
          displayName: 'Kiểm Thử Hậu Kiểm',
          email: `${username}@insurer.example.vn`,
          roles: ['supervisor'],
          skills: [],
          regions: [],
          authorityLimit: 0,
          active: true,
        }),
      }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return as(username);
  }

  async function paidStraightThrough() {
    const claimId = await claimWithoutInvoice(await policy());
    await upload(an, claimId, 'repair_invoice', einvoice().bytes, 'application/xml');
    return until(hai, claimId, (c) => c.status === 'PAYMENT_QUEUED', 15_000);
  }
  const queue = async (status = 'pending') => {
    const r = await hai.get(`/post-audit?status=${status}`);
    expect(r.status).toBe(200);
    return r.body.items as {
      claimId: string;
      status: string;
      amount: { amount: number };
      outcome?: string;
    }[];
  };

  it('with a share of 1.0 every straight-through payment lands in the post-audit queue; a supervisor reviews it', async () => {
    await setShare(10_000);
    const paid = await Promise.all([paidStraightThrough(), paidStraightThrough()]);
    const pending = await queue();
    for (const c of paid) {
      expect(c.postAudit).toMatchObject({
        status: 'pending',
        shareBps: 10_000,
        amount: { amount: 5_940_000 },
      });
      expect(pending.find((e) => e.claimId === c.claimId)).toMatchObject({
        status: 'pending',
        amount: { amount: 5_940_000 },
      });
    }

    const target = paid[0]!.claimId;
    expect((await dung.get('/post-audit')).status).toBe(403);
    const denied = await dung.post(`/claims/${target}/post-audit`, { outcome: 'confirmed', note: 'ok' });
    expect(denied.status).toBe(403);
    // The reviewer did not work on the claim (hai, also an adjuster, may handle either of these):
    // a supervisor of their own, who refers the other claim to the SIU and so may not review it.
    const reviewer = await newSupervisor();
    const other = paid[1]!.claimId;
    const referred = await reviewer.post(`/claims/${other}/siu-referral`, {
      note: 'Hoá đơn cần xác minh lại',
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    const own = await reviewer.post(`/claims/${other}/post-audit`, {
      outcome: 'confirmed',
      note: 'Đúng quy định',
    });
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(own.body.error).toMatchObject({ code: 'SOD_OWN_REVIEW', involvement: ['referred'] });
    const review = await reviewer.post(`/claims/${target}/post-audit`, {
      outcome: 'irregular',
      note: 'Hóa đơn ghi giá cao hơn giá niêm yết của hãng.',
    });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    // Irregular: the claim goes to the SIU and its payout, not yet with the bank, is held.
    const referredByAudit = await getClaim(hai, target);
    expect(referredByAudit.siu).toMatchObject({ status: 'referred', reasons: ['POST_AUDIT_IRREGULAR'] });
    expect(referredByAudit.paymentHold).toMatchObject({ reason: 'siu_referral' });
    expect(await getPayout(target)).toMatchObject({ hold: { reason: 'siu_referral' } });
    expect(review.body.postAudit).toMatchObject({ status: 'reviewed', outcome: 'irregular' });
    expect((await queue()).some((e) => e.claimId === target)).toBe(false);
    expect((await queue('reviewed')).find((e) => e.claimId === target)).toMatchObject({
      outcome: 'irregular',
    });
    const again = await hai.post(`/claims/${target}/post-audit`, { outcome: 'confirmed', note: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('POST_AUDIT_NOT_PENDING');
    const c = await getClaim(hai, target);
    expect(c.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['PostAuditSampled', 'PostAuditReviewed', 'ClaimReferredToSiu']),
    );
  }, 60_000);

  it('samples on a draw the server makes and records, not on anything the customer sends', async () => {
    // Half the payments: each claim's ClaimApproved carries its draw, and the claim is in the
    // queue exactly when the draw is below the share. (Before, the sample was a hash of the claim
    // id, which the customer's own Idempotency-Key decides, so a sample could be dodged offline.)
    await setShare(5_000);
    const paid = await Promise.all([1, 2, 3, 4].map(() => paidStraightThrough()));
    const pending = await queue();
    for (const c of paid) {
      const approved = c.timeline.find((e: { type: string }) => e.type === 'ClaimApproved');
      const { draw, shareBps } = approved.data.postAudit;
      expect(Number.isInteger(draw) && draw >= 0 && draw < 10_000, String(draw)).toBe(true);
      expect(shareBps).toBe(5_000);
      expect(c.postAudit !== undefined).toBe(draw < 5_000);
      expect(pending.some((e) => e.claimId === c.claimId)).toBe(draw < 5_000);
      // The customer's timeline shows the approval, not the draw.
      const own = (await getClaim(an, c.claimId)).timeline.find(
        (e: { type: string }) => e.type === 'ClaimApproved',
      );
      expect(own.data.postAudit).toBeUndefined();
    }
  });

  it('with a share of 0 none does', async () => {
    await setShare(0);
    const paid = await Promise.all([paidStraightThrough(), paidStraightThrough()]);
    const pending = await queue();
    for (const c of paid) {
      expect(c.postAudit).toBeUndefined();
      expect(pending.some((e) => e.claimId === c.claimId)).toBe(false);
    }
  });
});
