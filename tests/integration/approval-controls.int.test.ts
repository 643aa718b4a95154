import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../local/demo-data.ts';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { getPayout } from '../../lambdas/adapters/dynamo/finance-repo.ts';
import { financeKeys, keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { fileClaim, getClaim, hoursAgo, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { payoutAccountCode } from '../helpers/email.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import { approvedBy, secondAdmin } from '../helpers/four-eyes.ts';
import { type Api, apiAs, eventually, useStack } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * Issue 7: evidence before money and segregation of duties, against the running local stack.
 * Staff created here have a province nobody else covers and are deactivated at the end, so the
 * other suites' auto-assignment is untouched.
 */
const stack = useStack();
const as = (username: string) => apiAs(stack.apiUrl, username);
const userIdOf = (username: string) => DEMO_USERS.find((u) => u.username === username)!.userId;
const types = (c: { timeline: { type: string }[] }) => c.timeline.map((e) => e.type);

interface Email {
  subject: string;
  destination: { to: string[] };
  body?: { text?: string };
}
const emails = async (): Promise<Email[]> =>
  ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: Email[] }).emails;

let an: Api;
let hai: Api;
let dung: Api;
let admin: Api;

const put = (api: Api, path: string, body: unknown) =>
  api.raw(path, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const suffix = randomUUID().slice(0, 8);
const PROVINCE = 'Cà Mau';
const STAFF_ACCOUNT = `55500${Date.now().toString().slice(-8)}`;
const filerBody = {
  displayName: 'Lương Thị Lập Hồ Sơ',
  email: `lap.ho.so.${suffix}@insurer.example.vn`,
  username: `lap.ho.so.${suffix}`,
  roles: ['adjuster'],
  skills: ['motor'],
  regions: [PROVINCE],
  authorityLimit: 100_000_000,
  active: true,
  bankAccount: { bankName: 'Techcombank', accountNumber: STAFF_ACCOUNT, accountHolder: 'LUONG THI LAP' },
};
const supervisorBody = {
  displayName: 'Trịnh Văn Duyệt',
  email: `duyet.${suffix}@insurer.example.vn`,
  username: `duyet.${suffix}`,
  roles: ['supervisor'],
  skills: [],
  regions: [],
  authorityLimit: 1_000_000_000,
  active: true,
};
let filerId = '';
let supervisorId = '';
let filer: Api;
let supervisor: Api;
let admin2: Api;

beforeAll(async () => {
  [an, hai, dung, admin] = await Promise.all([as('an.nguyen'), as('hai.do'), as('dung.pham'), as('admin')]);
  // A new account is a grant: a second administrator approves it (core/admin-changes.ts).
  admin2 = (await secondAdmin(stack.apiUrl)).api;
  const a = await approvedBy(admin2, await put(admin, '/admin/staff/new', filerBody));
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  filerId = a.body.userId;
  const b = await approvedBy(admin2, await put(admin, '/admin/staff/new', supervisorBody));
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  supervisorId = b.body.userId;
  [filer, supervisor] = await Promise.all([as(filerBody.username), as(supervisorBody.username)]);
});

describe('staff bank accounts', () => {
  it('are kept as a mask and a keyed fingerprint, never the number (profile, admin view, audit log)', async () => {
    const raw = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.user(filerId) }));
    expect(raw.Item?.staff?.bankAccount).toMatchObject({ accountMask: `•••• ${STAFF_ACCOUNT.slice(-4)}` });
    expect(raw.Item?.staff?.bankAccount?.accountFingerprint).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(raw.Item)).not.toContain(STAFF_ACCOUNT);
    const listed = (await admin.get('/staff')).body.items.find(
      (s: { userId: string }) => s.userId === filerId,
    );
    expect(JSON.stringify(listed)).not.toContain(STAFF_ACCOUNT);
    expect(JSON.stringify((await admin.get('/admin/audit')).body)).not.toContain(STAFF_ACCOUNT);
  });
});

afterAll(async () => {
  // Out of the way of every other suite (workload, notifications to supervisors).
  for (const [id, body] of [
    [filerId, filerBody],
    [supervisorId, supervisorBody],
  ] as const) {
    if (!id) continue;
    const current = (await admin.get('/staff')).body.items.find((s: { userId: string }) => s.userId === id);
    if (current?.active)
      await put(admin, `/admin/staff/${id}`, { ...body, username: undefined, active: false });
  }
});

/** Motor policies of an.nguyen's of this suite's own, removed after it: no other claim shares their loss days. */
const policies = suitePolicies('MOT-SOD');
afterAll(() => policies.removeAll());
const freshPolicy = () => policies.running(200, 200);

async function assignToDung(claimId: string) {
  const c = await getClaim(hai, claimId);
  const r = await hai.post(`/claims/${claimId}/assignment`, {
    expectedVersion: c.version,
    staffId: userIdOf('dung.pham'),
    reason: 'Kiểm thử kiểm soát phê duyệt',
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function assess(api: Api, claimId: string, amount: number) {
  const c = await getClaim(api, claimId);
  const r = await api.post(`/claims/${claimId}/assessment`, {
    expectedVersion: c.version,
    items: [{ description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: amount, kind: 'repair' }],
    marketValue: 650_000_000,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

async function decide(api: Api, claimId: string) {
  const c = await getClaim(api, claimId);
  return api.post(`/claims/${claimId}/decision`, { outcome: 'approve', expectedVersion: c.version });
}

/** Votes as soon as the workflow waits for the department. */
async function vote(api: Api, claimId: string, department: string, v: string, comment: string) {
  for (let i = 0; i < 60; i++) {
    const { round } = (await getClaim(api, claimId)).approvals.at(-1);
    const r = await api.post(`/claims/${claimId}/votes`, { round, department, vote: v, comment });
    if (r.status !== 409 || r.body.error.code !== 'WORKFLOW_NOT_WAITING') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the workflow never waited for the vote');
}

/** A claim filed before these controls existed: approval pending with a document not received. */
/**
 * Takes a received document off the claim, as a change of the claim: under its revision (the
 * optimistic lock saveClaim uses), bumping it, so a save in flight from an older read (fraud
 * rescoring, an SIU referral) conflicts and re-reads instead of writing the document back.
 */
async function forgetDocument(claimId: string, docType: string) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: keys.claim(claimId), ConsistentRead: true }),
    );
    const c = Item as { requiredDocuments: string[]; revision: number };
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.claim(claimId),
          UpdateExpression: 'SET receivedDocuments = :r, revision = :next',
          ConditionExpression: 'revision = :seen',
          ExpressionAttributeValues: {
            ':r': c.requiredDocuments.filter((d) => d !== docType),
            ':seen': c.revision,
            ':next': c.revision + 1,
          },
        }),
      );
      return;
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  }
  throw new Error(`could not take ${docType} off claim ${claimId}`);
}

describe('evidence before money', () => {
  it('an adjuster cannot approve while required documents are missing, and sees which', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'vandalism',
      lossAt: hoursAgo(5),
      estimatedAmount: { amount: 28_500_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await assignToDung(claimId);
    await assess(dung, claimId, 28_500_000);
    const r = await decide(dung, claimId);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('DOCUMENTS_MISSING');
    expect(r.body.error.missing).toEqual(
      expect.arrayContaining(['vehicle_registration', 'driving_licence', 'insurance_certificate']),
    );
    const seen = await getClaim(dung, claimId);
    expect(seen.status).toBe('ASSESSED');
    expect(seen.missingDocuments).toEqual(r.body.error.missing);
    expect(seen.controls.outstandingDocuments).toEqual(r.body.error.missing);
    // A rejection moves no money: it needs no documents.
  });

  it('a supervisor waives what is missing with a reason; the next approver sees it and may approve', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'vandalism',
      lossAt: hoursAgo(7),
      estimatedAmount: { amount: 26_000_000, currency: 'VND' },
    });
    let c = await until(hai, claimId, parked());
    await assignToDung(claimId);
    c = await getClaim(hai, claimId);
    const missing = c.missingDocuments as string[];
    expect(missing.length).toBeGreaterThan(1);

    const byAdjuster = await dung.post(`/claims/${claimId}/waivers`, {
      expectedVersion: c.version,
      docType: missing[0],
      reason: 'Giám định viên đã đối chiếu bản gốc tại hiện trường.',
    });
    expect(byAdjuster.status).toBe(403);
    const notRequired = await hai.post(`/claims/${claimId}/waivers`, {
      expectedVersion: c.version,
      docType: 'passport',
      reason: 'Không cần thiết cho hồ sơ xe cơ giới.',
    });
    expect(notRequired.status).toBe(409);
    expect(notRequired.body.error.code).toBe('WAIVER_NOT_APPLICABLE');

    for (const docType of missing) {
      c = await getClaim(hai, claimId);
      const w = await hai.post(`/claims/${claimId}/waivers`, {
        expectedVersion: c.version,
        docType,
        reason: `Đã đối chiếu bản gốc ${docType} tại hiện trường.`,
      });
      expect(w.status, JSON.stringify(w.body)).toBe(201);
    }
    c = await getClaim(hai, claimId);
    const twice = await hai.post(`/claims/${claimId}/waivers`, {
      expectedVersion: c.version,
      docType: missing[0],
      reason: 'Lần thứ hai cho cùng tài liệu.',
    });
    expect(twice.body.error.code).toBe('WAIVER_NOT_APPLICABLE');

    await assess(dung, claimId, 26_000_000);
    const seen = await getClaim(dung, claimId);
    expect(seen.missingDocuments).toEqual([]);
    expect(seen.controls.notReceivedDocuments).toEqual(missing);
    expect(seen.controls.waivers.map((w: { docType: string }) => w.docType)).toEqual(missing);
    expect(seen.controls.waivers[0]).toMatchObject({
      waivedBy: { id: userIdOf('hai.do'), role: 'supervisor' },
    });
    const waived = seen.timeline.filter((e: { type: string }) => e.type === 'DocumentWaived');
    expect(waived).toHaveLength(missing.length);
    expect(waived[0]).toMatchObject({ by: 'supervisor', actorId: userIdOf('hai.do') });
    expect(waived[0].data.reason).toContain('Đã đối chiếu bản gốc');
    // The waiver satisfies the gate, not the Art. 31 dossier-complete clock.
    expect(seen.dossierCompleteAt).toBeUndefined();

    const r = await decide(dung, claimId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED');
    // The customer never sees waivers.
    const mine = await getClaim(an, claimId);
    expect(mine.waivers).toBeUndefined();
    expect(types(mine)).not.toContain('DocumentWaived');
  });

  it('a supervisor cannot approve a pending payout while a document is missing', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'storm',
      lossAt: hoursAgo(9),
      estimatedAmount: { amount: 80_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 31);
    await assignToDung(claimId);
    await assess(dung, claimId, 80_000_000);
    expect((await decide(dung, claimId)).status).toBe(202);
    const c = await until(hai, claimId, parked('supervisor'));
    await forgetDocument(claimId, 'driving_licence');
    const r = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: 'Đồng ý.',
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'DOCUMENTS_MISSING', missing: ['driving_licence'] });
    expect((await getClaim(hai, claimId)).status).toBe('PENDING_APPROVAL');
  });

  it('a department cannot vote to approve while a document is missing; its send-back returns the claim to the assignee with a notice', async () => {
    const { claimId, claimNumber } = await fileClaim(an, {
      // A total loss uses up the car's sum insured: a policy of its own, not the shared demo one.
      policyNumber: await freshPolicy(),
      cause: 'theft',
      lossAt: hoursAgo(11),
      estimatedAmount: { amount: 600_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 32);
    await assignToDung(claimId);
    await assess(dung, claimId, 600_000_000);
    expect((await decide(dung, claimId)).status).toBe(202);
    await until(hai, claimId, (x) => x.status === 'JOINT_REVIEW');
    // A theft's checklist has the police report (and no damage photos): it goes missing.
    await forgetDocument(claimId, 'police_report');
    const khanh = await as('khanh.bui');
    const refused = await vote(khanh, claimId, 'underwriting', 'approve', 'Đồng ý.');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'DOCUMENTS_MISSING', missing: ['police_report'] });

    const comment = 'Cần kết luận của cơ quan công an về vụ mất cắp.';
    const back = await vote(khanh, claimId, 'underwriting', 'reject', comment);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const c = await until(
      hai,
      claimId,
      (x) => x.status === 'UNDER_ASSESSMENT' && x.waitingFor === 'assessment',
    );
    expect(c.assignee.staffId).toBe(userIdOf('dung.pham'));
    const sentBack = c.timeline.find((e: { type: string }) => e.type === 'ClaimSentBack');
    expect(sentBack.data).toMatchObject({ comment, returnedTo: userIdOf('dung.pham') });
    const mail = await eventually(async () =>
      (await emails()).find(
        (m) =>
          m.destination.to.includes('dung.pham@insurer.example.vn') &&
          m.subject.includes(claimNumber) &&
          m.subject.includes('trả lại'),
      ),
    );
    expect(mail.body?.text).toContain(comment);
  });
});

describe('segregation of duties', () => {
  it('auto-assignment never gives a claim to the staff member who filed it; the customer’s registered contact gets the mail until she confirms another', async () => {
    const privateEmail = `lap.rieng.${suffix}@gmail.com`;
    const r = await filer.post(
      '/staff/claims',
      {
        customerId: 'CUS-0001',
        report: makeClaimRequest({
          lossAt: hoursAgo(13),
          cause: 'flood',
          lossPlace: { address: '1 Phan Ngọc Hiển', province: PROVINCE },
          estimatedAmount: { amount: 25_650_000, currency: 'VND' },
          contact: { email: privateEmail, phone: '0912345678' },
        }),
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const { claimId, claimNumber } = r.body;
    const c = await until(hai, claimId, parked());
    // The filer is the only adjuster covering the province and has no workload: she would win.
    // Another adjuster (any region, enough authority) gets it instead.
    expect(c.assignee?.staffId, JSON.stringify(c.assignedQueue)).toEqual(expect.any(String));
    expect(c.assignee.staffId).not.toBe(filerId);
    expect(c.controls.sod.filedBy).toBe(filerId);
    expect(c.contactCheck).toMatchObject({
      status: 'unconfirmed',
      registered: { email: 'an.nguyen@example.vn' },
    });

    const ack = await eventually(async () =>
      (await emails()).find(
        (m) => m.subject.includes(claimNumber) && m.destination.to.includes('an.nguyen@example.vn'),
      ),
    );
    expect(ack).toBeDefined();
    expect((await emails()).some((m) => m.destination.to.includes(privateEmail))).toBe(false);

    // Her upload is recorded under her, not `system`.
    const bytes = pngBytes(3, 3, [201, 17, 90]);
    const intent = await filer.post(`/claims/${claimId}/documents`, {
      docType: 'claim_letter',
      fileName: 'giay-yeu-cau.png',
      contentType: 'image/png',
      size: bytes.length,
    });
    expect(intent.status, JSON.stringify(intent.body)).toBe(201);
    await presignedPost(intent.body.upload, bytes, 'image/png', 'giay-yeu-cau.png');
    const verified = await until(hai, claimId, (x) => types(x).includes('DocumentVerified'));
    const event = verified.timeline.find((e: { type: string }) => e.type === 'DocumentVerified');
    expect(event).toMatchObject({ by: 'adjuster', actorId: filerId });

    // Nor can a supervisor hand it to her: she would assess (set the amount of) her own filing.
    await uploadMissingDocuments(an, claimId, 33);
    let now = await getClaim(hai, claimId);
    const toFiler = await hai.post(`/claims/${claimId}/assignment`, {
      expectedVersion: now.version,
      staffId: filerId,
      reason: 'Thử',
    });
    expect(toFiler.status).toBe(403);
    expect(toFiler.body.error).toMatchObject({ code: 'SOD_HANDLING_CONFLICT', reason: 'filed' });
    expect((await getClaim(hai, claimId)).assignee?.staffId).toBe(c.assignee?.staffId);

    // The customer confirms the new address: from now on mail goes there.
    expect((await hai.post(`/claims/${claimId}/contact/confirm`, {})).status).toBe(403);
    const confirm = await an.post(`/claims/${claimId}/contact/confirm`, {});
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    now = await getClaim(hai, claimId);
    expect(now.contactCheck.status).toBe('confirmed');
    expect(types(now)).toContain('ContactConfirmed');
    expect((await an.post(`/claims/${claimId}/contact/confirm`, {})).body.error.code).toBe(
      'CONTACT_ALREADY_CONFIRMED',
    );
  });

  it('nobody approves a payout into a staff member’s bank account, and it is never theirs to handle', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'storm',
      lossAt: hoursAgo(15),
      // Where the staff member whose account it is is the only adjuster: she would win the assignment.
      lossPlace: { address: '3 Phan Ngọc Hiển', province: PROVINCE },
      estimatedAmount: { amount: 24_000_000, currency: 'VND' },
      payoutAccount: {
        bankName: 'Techcombank',
        accountNumber: STAFF_ACCOUNT,
        accountHolder: 'NGUYEN VAN AN',
      },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 34);
    await assess(hai, claimId, 24_000_000);
    const c = await getClaim(hai, claimId);
    expect(c.controls.sod.payoutAccountOfStaff).toEqual([filerId]);
    expect(c.assignee?.staffId, JSON.stringify(c.assignedQueue)).toEqual(expect.any(String));
    expect(c.assignee.staffId).not.toBe(filerId);
    const r = await decide(hai, claimId);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SOD_STAFF_PAYOUT_ACCOUNT');
  });

  it('straight-through never settles a claim a member of staff filed, or one paying a staff account: a person decides', async () => {
    // Small, clean and evidenced: everything the rule pays on, but filed by a member of staff.
    const small = async (hours: number) =>
      makeClaimRequest({
        policyNumber: await freshPolicy(),
        lossAt: hoursAgo(hours),
        cause: 'fire',
        lossPlace: { address: '9 Lý Thường Kiệt', province: PROVINCE },
        estimatedAmount: { amount: 6_100_000, currency: 'VND' },
      });
    const r = await filer.post(
      '/staff/claims',
      { customerId: 'CUS-0001', report: await small(21) },
      { 'idempotency-key': randomUUID() },
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await until(hai, r.body.claimId, parked());
    await uploadMissingDocuments(an, r.body.claimId, 36, { repair_invoice: 6_100_000 });
    const byStaff = await until(
      hai,
      r.body.claimId,
      (x) => x.dossierCompleteAt && !x.straightThrough?.reasons.includes('DOSSIER_INCOMPLETE'),
    );
    // The one reason: without it the rule would have approved and paid it with no person involved.
    expect(byStaff.straightThrough).toMatchObject({ eligible: false, reasons: ['FILED_BY_STAFF'] });
    expect(byStaff.status).toBe('UNDER_ASSESSMENT');
    expect(byStaff.waitingFor).toBe('assessment');

    // A customer's own claim paying into a staff member's account: the same.
    const own = await fileClaim(an, {
      ...(await small(23)),
      payoutAccount: {
        bankName: 'Techcombank',
        accountNumber: STAFF_ACCOUNT,
        accountHolder: 'NGUYEN VAN AN',
      },
    });
    await until(hai, own.claimId, parked());
    await uploadMissingDocuments(an, own.claimId, 37, { repair_invoice: 6_100_000 });
    const toStaff = await until(
      hai,
      own.claimId,
      (x) => x.dossierCompleteAt && !x.straightThrough?.reasons.includes('DOSSIER_INCOMPLETE'),
    );
    expect(toStaff.straightThrough).toMatchObject({ eligible: false, reasons: ['STAFF_PAYOUT_ACCOUNT'] });
    expect(toStaff.status).toBe('UNDER_ASSESSMENT');
  });

  it('a payout account changed to a staff member’s after approval sends the claim to the SIU and keeps the money held', async () => {
    const { claimId, claimNumber } = await fileClaim(an, {
      policyNumber: await freshPolicy(),
      cause: 'fire',
      lossAt: hoursAgo(25),
      estimatedAmount: { amount: 6_200_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 38, { repair_invoice: 6_200_000 });
    await until(hai, claimId, (x) => x.status === 'PAYMENT_QUEUED' && x.waitingFor === 'payment', 15_000);
    expect((await getPayout(claimId))?.hold).toBeUndefined();

    // The customer (or whoever holds her session and her phone) moves the money to a staff account.
    const before = (await emails()).length;
    const asked = await an.post(`/claims/${claimId}/payout-account`, {
      bankName: 'Techcombank',
      accountNumber: STAFF_ACCOUNT,
      accountHolder: 'LUONG THI LAP',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const code = await payoutAccountCode(stack.mailUrl, claimNumber, before);
    const ok = await an.post(`/claims/${claimId}/payout-account/confirm`, { code });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);

    const c = await getClaim(hai, claimId);
    expect(c.siu).toMatchObject({ status: 'referred', reasons: ['STAFF_PAYOUT_ACCOUNT'] });
    expect(c.paymentHold).toMatchObject({ reason: 'siu_referral' });
    expect(types(c)).toEqual(expect.arrayContaining(['PayoutAccountChanged', 'ClaimReferredToSiu']));
    // Out of finance's queue: no batch takes it until the SIU clears it.
    expect((await getPayout(claimId))?.hold).toMatchObject({ reason: 'siu_referral' });
    const raw = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: financeKeys.payout(claimId), ConsistentRead: true }),
    );
    expect(raw.Item?.gsi4pk).toBeUndefined();
    // The SIU's queue names the reason.
    const queue = (await (await as('nam.ly')).get('/siu/cases?status=referred&limit=100')).body.items as {
      claimId: string;
      reasons: string[];
    }[];
    expect(queue.find((q) => q.claimId === claimId)?.reasons).toEqual(['STAFF_PAYOUT_ACCOUNT']);
    // The customer is not told of an SIU hold.
    expect((await getClaim(an, claimId)).paymentHold).toBeUndefined();
  });

  it('whoever assessed alone does not approve above the four-eyes amount: a second supervisor does', async () => {
    const { claimId } = await fileClaim(an, {
      cause: 'fire',
      lossAt: hoursAgo(17),
      estimatedAmount: { amount: 150_000_000, currency: 'VND' },
    });
    await until(hai, claimId, parked());
    await uploadMissingDocuments(an, claimId, 35);
    await assess(hai, claimId, 150_000_000);
    const r = await decide(hai, claimId);
    // Within hai's own authority, but he assessed it alone: it waits for someone else.
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.status).toBe('PENDING_APPROVAL');
    const c = await until(hai, claimId, parked('supervisor'));
    const asked = c.timeline.find((e: { type: string }) => e.type === 'ApprovalRequested');
    expect(asked.data).toMatchObject({ route: 'supervisor', fourEyes: true, singleAssessorMax: 100_000_000 });
    const self = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: 'ok',
    });
    expect(self.status).toBe(403);
    const other = await supervisor.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: true,
      comment: 'Đã kiểm tra lại hồ sơ giám định.',
    });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
  });
});

describe('stale roles', () => {
  it('a demoted or deactivated member of staff is refused on the next read, with the token they hold', async () => {
    const { claimId } = await fileClaim(an, { cause: 'glass_breakage', lossAt: hoursAgo(19) });
    await until(hai, claimId, parked());
    expect((await supervisor.get(`/claims/${claimId}/audit`)).status).toBe(200);

    // The adjuster's role is a grant: approved by a second administrator.
    const demoted = await approvedBy(
      admin2,
      await put(admin, `/admin/staff/${supervisorId}`, {
        ...supervisorBody,
        username: undefined,
        roles: ['adjuster'],
      }),
    );
    expect(demoted.status, JSON.stringify(demoted.body)).toBe(200);
    expect((await supervisor.get(`/claims/${claimId}/audit`)).status).toBe(403);
    expect((await supervisor.get(`/claims/${claimId}`)).status).toBe(200);

    const off = await put(admin, `/admin/staff/${supervisorId}`, {
      ...supervisorBody,
      username: undefined,
      roles: ['adjuster'],
      active: false,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const read = await supervisor.get(`/claims/${claimId}`);
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('ACCOUNT_INACTIVE');
    expect((await supervisor.get('/queue')).status).toBe(403);
  });
});
