import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessByRule } from '../../lambdas/app/straight-through.ts';
import { systemClock } from '../../lambdas/core/time.ts';
import { userIdFor } from '../../local/demo-data.ts';
import {
  assignTo,
  fileClaim,
  fileParked,
  getClaim,
  hoursAgo,
  rejectClaim,
  until,
  uploadMissingDocuments,
} from '../helpers/claims.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import { type Api, eventually, sentEmails, signIn } from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * The customer's appeal after a rejection (issue 10), through the real API, workflow and stream:
 * the appeal reopens the claim in a new execution that parks at assessment, takes new evidence,
 * starts its own deadline, sends the letter and the handler's notice, and is decided through the
 * normal decision path.
 */
/** Policies of this suite's own (removed afterwards). */
const policies = suitePolicies('MOT-APL');
afterAll(() => policies.removeAll());

let an: Api;
let binh: Api;
let hai: Api;
let dung: Api;
beforeAll(async () => {
  [an, binh, hai, dung] = await signIn('an.nguyen', 'binh.tran', 'hai.do', 'dung.pham');
});

/** A claim of an.nguyen, complete, in dung.pham's hands and rejected by him. */
async function rejectedClaim(day: number) {
  const { claimId, claimNumber } = await fileParked(an, hai, {
    cause: 'collision',
    lossAt: hoursAgo(200 + day * 24),
    estimatedAmount: { amount: 35_000_000 + day, currency: 'VND' },
  });
  await uploadMissingDocuments(an, claimId, 40 + day);
  expect((await assignTo(hai, claimId, 'dung.pham')).status).toBe(200);
  const r = await rejectClaim(dung, claimId);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  await until(an, claimId, (x) => x.status === 'REJECTED');
  return { claimId, claimNumber };
}

async function uploadEvidence(api: Api, claimId: string, seed: number) {
  const bytes = pngBytes(4, 4, [seed, 120, 30]);
  const r = await api.post(`/claims/${claimId}/documents`, {
    docType: 'other',
    fileName: 'giay-phep-lai-xe.png',
    contentType: 'image/png',
    size: bytes.length,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const up = await presignedPost(r.body.upload, bytes, 'image/png', 'giay-phep-lai-xe.png');
  expect(up.status).toBeLessThan(300);
  return r.body.documentId as string;
}

const reason = 'Tôi có giấy phép lái xe hợp lệ, xin gửi kèm bản chụp.';

describe('an appeal after a rejection', () => {
  it('reopens the claim with new evidence, its own deadline, a letter and a notice; a rejection upholds it', async () => {
    const { claimId, claimNumber } = await rejectedClaim(1);
    const rejected = await getClaim(an, claimId);
    expect(Date.parse(rejected.appealableUntil)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // The day is fixed with the rejection, the one its letter states.
    expect((await getClaim(dung, claimId)).decision.appealBy).toBe(rejected.appealableUntil);

    // Before the appeal, the rejected claim takes no documents.
    const early = await an.post(`/claims/${claimId}/documents`, {
      docType: 'other',
      fileName: 'x.png',
      contentType: 'image/png',
      size: 100,
    });
    expect(early.status).toBe(409);

    // Only the owner: another customer does not even see it, staff may not appeal for them.
    expect((await binh.post(`/claims/${claimId}/appeal`, { reason })).status).toBe(404);
    expect((await dung.post(`/claims/${claimId}/appeal`, { reason })).status).toBe(403);
    expect((await an.post(`/claims/${claimId}/appeal`, { reason: 'ngắn' })).status).toBe(400);

    const r = await an.post(`/claims/${claimId}/appeal`, { reason });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.status).toBe('UNDER_ASSESSMENT');
    const again = await an.post(`/claims/${claimId}/appeal`, { reason });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('APPEAL_ALREADY_FILED');

    const documentId = await uploadEvidence(an, claimId, 11);
    const seen = await until(
      dung,
      claimId,
      (x) =>
        x.waitingFor === 'assessment' &&
        x.documents.some(
          (d: { documentId: string; status: string }) =>
            d.documentId === documentId && d.status === 'VERIFIED',
        ) &&
        x.deadlines.some((d: { kind: string }) => d.kind === 'appeal_decision'),
      20_000,
    );
    expect(seen.appeal).toMatchObject({ reason, status: 'open', rejection: { outcome: 'reject' } });
    const deadline = seen.deadlines.find((d: { kind: string }) => d.kind === 'appeal_decision');
    expect(deadline).toMatchObject({ status: 'open', dueAt: seen.appeal.decideBy });
    expect(seen.timeline.map((e: { type: string }) => e.type)).toContain('ClaimAppealed');
    // The customer sees their appeal, not who rejected it.
    const mine = await getClaim(an, claimId);
    expect(mine.appeal.reason).toBe(reason);
    expect(JSON.stringify(mine.appeal)).not.toContain(userIdFor('dung.pham'));

    // The letter to the customer and the notice to the handler.
    const mail = await eventually(async () => {
      const about = (await sentEmails()).filter((m) => m.subject.includes(claimNumber));
      const letter = about.find(
        (m) => m.destination.to.includes('an.nguyen@example.vn') && /khiếu nại/i.test(m.subject),
      );
      const notice = about.find(
        (m) => m.destination.to.some((t) => t.startsWith('dung')) && /khiếu nại|appeal/i.test(m.subject),
      );
      return letter && notice ? { letter, notice } : undefined;
    }, 20_000);
    expect(mail.letter.subject).toContain('Xác nhận đã nhận khiếu nại');

    // Decided through the normal decision path: rejecting again upholds the rejection.
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: seen.version,
      reasons: [
        { clause: 'Điều 12.3 Quy tắc bảo hiểm xe cơ giới', text: 'Giấy phép hết hạn tại ngày tổn thất.' },
      ],
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    const upheld = await until(
      dung,
      claimId,
      (x) =>
        x.status === 'REJECTED' &&
        x.deadlines.some(
          (d: { kind: string; status: string }) => d.kind === 'appeal_decision' && d.status === 'met',
        ),
      15_000,
    );
    expect(upheld.appeal.status).toBe('upheld');
    expect(upheld.appealableUntil).toBeUndefined();
    // A decided appeal cannot be filed again.
    const third = await an.post(`/claims/${claimId}/appeal`, { reason });
    expect(third.body.error.code).toBe('APPEAL_ALREADY_FILED');
  });

  it('can end in an approval, which overturns the rejection', async () => {
    const { claimId } = await rejectedClaim(2);
    expect((await an.post(`/claims/${claimId}/appeal`, { reason })).status).toBe(202);
    let c = await until(dung, claimId, (x) => x.waitingFor === 'assessment', 20_000);
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [{ description: 'Thay cản trước', coverCode: 'OD', assessedAmount: 20_000_000, kind: 'repair' }],
      marketValue: 650_000_000,
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    c = await getClaim(dung, claimId);
    const decide = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: c.version,
    });
    expect(decide.status, JSON.stringify(decide.body)).toBe(200);
    const done = await until(an, claimId, (x) => x.status === 'PAYMENT_QUEUED', 20_000);
    expect(done.appeal.status).toBe('overturned');
    expect(done.decision.outcome).toBe('approve');
    // The rejection cancelled the Art. 31 payment deadline; the overturn owes the payment again, due
    // when it always was (15 days from the complete dossier), and the payment carries that date.
    const staffView = await until(dung, claimId, (x) =>
      x.deadlines.some(
        (d: { kind: string; status: string }) => d.kind === 'payment' && d.status !== 'cancelled',
      ),
    );
    const payments = staffView.deadlines.filter((d: { kind: string }) => d.kind === 'payment');
    expect(payments).toHaveLength(2);
    const [cancelled, reinstated] = payments;
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(reinstated).toMatchObject({ status: 'open', dueAt: cancelled.dueAt, id: `${cancelled.id}-a` });
    expect(staffView.payment.dueAt).toBe(cancelled.dueAt);
  });

  it('is not decided by asking for approval: sent back and rejected again, it is upheld', async () => {
    const { claimId } = await rejectedClaim(3);
    expect((await an.post(`/claims/${claimId}/appeal`, { reason })).status).toBe(202);
    let c = await until(dung, claimId, (x) => x.waitingFor === 'assessment', 20_000);
    // Above dung's 50 million: his approval goes to a supervisor.
    const assessed = await dung.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        { description: 'Thay cụm đầu xe', coverCode: 'OD', assessedAmount: 60_000_000, kind: 'repair' },
      ],
      marketValue: 650_000_000,
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const asked = await dung.post(`/claims/${claimId}/decision`, {
      outcome: 'approve',
      expectedVersion: (await getClaim(dung, claimId)).version,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    c = await until(hai, claimId, (x) => x.status === 'PENDING_APPROVAL' && x.waitingFor === 'supervisor');
    expect(c.appeal.status).toBe('open');
    const back = await hai.post(`/claims/${claimId}/approval`, {
      expectedVersion: c.version,
      approve: false,
      comment: 'Giấy phép hết hạn: giữ quyết định từ chối',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    c = await until(
      dung,
      claimId,
      (x) => x.status === 'UNDER_ASSESSMENT' && x.waitingFor === 'assessment',
      20_000,
    );
    const r = await rejectClaim(dung, claimId);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const upheld = await until(an, claimId, (x) => x.status === 'REJECTED');
    expect(upheld.appeal.status).toBe('upheld');
    const decided = upheld.timeline.filter((e: { type: string }) => e.type === 'AppealDecided');
    expect(decided.map((e: { data: { outcome: string } }) => e.data.outcome)).toEqual(['upheld']);
  });

  it('is decided by a person, never by the straight-through rule, even when its new documents would qualify', async () => {
    // A small glass claim on a policy of the suite's own (no duplicate of another suite's claims),
    // rejected before its documents are in.
    const { claimId } = await fileParked(an, hai, {
      policyNumber: await policies.running(200, 200),
      cause: 'glass_breakage',
      lossAt: hoursAgo(70),
      estimatedAmount: { amount: 8_500_000, currency: 'VND' },
    });
    expect((await assignTo(hai, claimId, 'dung.pham')).status).toBe(200);
    expect((await rejectClaim(dung, claimId)).status).toBe(200);
    await until(an, claimId, (x) => x.status === 'REJECTED');
    expect((await an.post(`/claims/${claimId}/appeal`, { reason })).status).toBe(202);
    await until(dung, claimId, (x) => x.waitingFor === 'assessment', 20_000);

    // The appeal brings the documents, a repair invoice with its amount among them: the dossier
    // completes with everything the rule pays on.
    await uploadMissingDocuments(an, claimId, 61, { repair_invoice: 8_500_000 });
    await until(dung, claimId, (x) => Boolean(x.dossierCompleteAt), 20_000);
    // Time for a straight-through resume, AssessByRule and the payment queue to have run if they would.
    await new Promise((r) => setTimeout(r, 8_000));
    const held = await getClaim(dung, claimId);
    expect(held).toMatchObject({ status: 'UNDER_ASSESSMENT', waitingFor: 'assessment' });
    expect(held.decision).toBeUndefined();
    expect(held.assessment).toBeUndefined();
    expect(held.appeal.status).toBe('open');

    // Asked directly, the rule step refuses too (the workflow's catch parks the claim for a person).
    await expect(assessByRule(claimId, systemClock)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await getClaim(dung, claimId)).status).toBe('UNDER_ASSESSMENT');
  });

  it('is refused on a claim that is not rejected', async () => {
    const { claimId } = await fileClaim(an, { cause: 'theft', lossAt: hoursAgo(500) });
    const r = await an.post(`/claims/${claimId}/appeal`, { reason });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('APPEAL_NOT_ALLOWED');
  });
});
