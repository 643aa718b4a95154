import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../../local/demo-data.ts';
import { fileClaim, getClaim, parked, until } from '../helpers/claims.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import {
  type Api,
  eventually,
  fireDeadline,
  scheduledInput,
  schedulesOf,
  sentEmails,
  signIn,
  snsInbox,
} from '../helpers/stack.ts';

/**
 * Deadlines that tell the truth, against the running local stack (stream → ProcessClaimEvents,
 * the Scheduler stand-in → DeadlineFired, SES, SNS): the documents reminder is met only when every
 * required document is in; the no-response closure is not "met"; escalation climbs from the
 * assigned adjuster to the supervisors; the claim view names the deadline its flag belongs to; an
 * approved advance payment meets the Decree 67 advance deadline.
 *
 * The Scheduler's virtual clock is shared with the other suites, so phases are fired by invoking
 * DeadlineFired with the input their schedule would deliver, never by moving the clock.
 */
let an: Api;
let hai: Api;

interface Deadline {
  id: string;
  kind: string;
  from: string;
  status: string;
  dueAt: string;
  metAt?: string;
  scheduleNames: string[];
}
interface TimelineEvent {
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/** The names of the claim's schedules still waiting. */
const scheduleNamesOf = async (claimId: string): Promise<string[]> =>
  (await schedulesOf(claimId)).map((s) => s.name);
const deadlinesOf = async (claimId: string): Promise<Deadline[]> =>
  (await getClaim(hai, claimId)).deadlines ?? [];
const timeline = async (claimId: string): Promise<TimelineEvent[]> => (await getClaim(hai, claimId)).timeline;
const metEvents = (events: TimelineEvent[], kind: string) =>
  events.filter((e) => e.type === 'DeadlineMet' && e.data.kind === kind);

const contact = (tag: string) => ({
  phone: '0912345678',
  email: `truth.${tag}.${randomUUID().slice(0, 6)}@example.vn`,
});

/** Uploads one real PNG for each of `docTypes` and waits until all of them are verified. */
async function upload(claimId: string, docTypes: readonly string[], seed: number) {
  for (const [i, docType] of docTypes.entries()) {
    const bytes = pngBytes(3, 3, [seed % 255, (i + 1) * 20, 140]);
    const r = await an.post(`/claims/${claimId}/documents`, {
      docType,
      fileName: `${docType}.png`,
      contentType: 'image/png',
      size: bytes.length,
    });
    expect(r.status).toBe(201);
    expect((await presignedPost(r.body.upload, bytes, 'image/png', `${docType}.png`)).status).toBeLessThan(
      300,
    );
  }
  return until(hai, claimId, (c) => docTypes.every((t) => !c.missingDocuments.includes(t)), 20_000);
}

async function requestInfo(claimId: string, documents: string[] = []) {
  const c = await getClaim(hai, claimId);
  const r = await hai.post(`/claims/${claimId}/info-requests`, {
    expectedVersion: c.version,
    message: 'Vui lòng cho biết xe đang được sửa chữa ở gara nào.',
    documents,
  });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  const waiting = await until(hai, claimId, parked('information'));
  const request = waiting.infoRequests.at(-1) as { requestId: string };
  await eventually(async () =>
    (await deadlinesOf(claimId)).some((d) => d.kind === 'no_response_close') ? true : undefined,
  );
  return request.requestId;
}

beforeAll(async () => {
  [an, hai] = await signIn('an.nguyen', 'hai.do');
});

describe('the documents reminder is met only when every required document is in', () => {
  let claim: { claimId: string; claimNumber: string };

  beforeAll(async () => {
    // Above the straight-through limit, so a person handles it.
    claim = await fileClaim(an, {
      estimatedAmount: { amount: 60_000_000, currency: 'VND' },
      contact: contact('docs'),
    });
    await until(hai, claim.claimId, parked());
    await eventually(async () =>
      (await deadlinesOf(claim.claimId)).some((d) => d.kind === 'documents_reminder') ? true : undefined,
    );
  });

  it('an answered information request with three documents still missing leaves both reminders open', async () => {
    const missing: string[] = (await getClaim(hai, claim.claimId)).missingDocuments;
    expect(missing.length).toBeGreaterThan(3);
    await upload(claim.claimId, missing.slice(0, -3), 3);

    const requestId = await requestInfo(claim.claimId);
    const r = await an.post(`/claims/${claim.claimId}/info-requests/${requestId}/response`, {
      message: 'Xe đang ở gara Thành Công, 120 Trường Chinh.',
    });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);

    // The answer meets the no-response closure (same reaction that would have met the reminders).
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.find((x) => x.kind === 'no_response_close')?.status === 'met' ? d : undefined;
    });
    const reminders = deadlines.filter((d) => d.kind === 'documents_reminder');
    expect(reminders.map((d) => `${d.from}:${d.status}`).sort()).toEqual([
      'info_requested:open',
      'submitted:open',
    ]);
    expect(metEvents(await timeline(claim.claimId), 'documents_reminder')).toEqual([]);
    expect((await getClaim(hai, claim.claimId)).missingDocuments).toHaveLength(3);
    // Their schedules still wait: the customer will be reminded of what is missing.
    const left = await scheduleNamesOf(claim.claimId);
    for (const d of reminders) expect(left).toEqual(expect.arrayContaining(d.scheduleNames));
  });

  it('the reminder of the answered request reminds of the documents still missing', async () => {
    const reminder = (await deadlinesOf(claim.claimId)).find(
      (d) => d.kind === 'documents_reminder' && d.from === 'info_requested',
    )!;
    expect((await fireDeadline(await scheduledInput(reminder.scheduleNames[0]!))).outcome).toBe('reminded');
    expect((await deadlinesOf(claim.claimId)).find((d) => d.id === reminder.id)!.status).toBe('open');
  });

  it('the last required document meets each reminder exactly once, when it is verified', async () => {
    const missing: string[] = (await getClaim(hai, claim.claimId)).missingDocuments;
    await upload(claim.claimId, missing, 4);
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.filter((x) => x.kind === 'documents_reminder').every((x) => x.status === 'met')
        ? d
        : undefined;
    }, 20_000);
    const events = await timeline(claim.claimId);
    const met = metEvents(events, 'documents_reminder');
    expect(met.map((e) => e.data.deadlineId).sort()).toEqual(
      deadlines
        .filter((d) => d.kind === 'documents_reminder')
        .map((d) => d.id)
        .sort(),
    );
    const lastVerified = events.filter((e) => e.type === 'DocumentVerified').at(-1)!;
    expect(lastVerified.data.dossierComplete).toBe(true);
    // Met by the verification of the last document, at that instant (the dossier completed with it).
    expect(events.find((x) => x.type === 'DossierCompleted')!.at).toBe(lastVerified.at);
    for (const e of met) expect(e.data).toMatchObject({ by: 'DocumentVerified', metAt: lastVerified.at });
    await eventually(async () => {
      const left = await scheduleNamesOf(claim.claimId);
      return deadlines
        .filter((d) => d.kind === 'documents_reminder')
        .flatMap((d) => d.scheduleNames)
        .every((n) => !left.includes(n))
        ? true
        : undefined;
    });
  });
});

describe('closing for no response', () => {
  it('shows the closure deadline as closed and the rest as cancelled, never as met', async () => {
    const claim = await fileClaim(an, {
      estimatedAmount: { amount: 40_000_000, currency: 'VND' },
      contact: contact('noresp'),
    });
    await until(hai, claim.claimId, parked());
    await requestInfo(claim.claimId, ['police_report']);
    const close = (await deadlinesOf(claim.claimId)).find((d) => d.kind === 'no_response_close')!;
    expect((await fireDeadline(await scheduledInput(close.scheduleNames[1]!))).outcome).toBe('closing');

    const view = await until(
      hai,
      claim.claimId,
      (c) =>
        c.status === 'CLOSED_NO_RESPONSE' &&
        (c.deadlines as Deadline[]).every((d) => d.status !== 'open' && d.status !== 'at_risk'),
      15_000,
    );
    const deadlines = view.deadlines as Deadline[];
    expect(deadlines.find((d) => d.id === close.id)!.status).toBe('closed');
    expect(deadlines.filter((d) => d.kind === 'documents_reminder').map((d) => d.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    // Acknowledgement was really met; nothing about the request was.
    expect(deadlines.filter((d) => d.status === 'met').map((d) => d.kind)).toEqual(['acknowledgement']);
    const events = view.timeline as TimelineEvent[];
    expect(events.filter((e) => e.type === 'DeadlineMet').map((e) => e.data.kind)).toEqual([
      'acknowledgement',
    ]);
    expect(
      events.find((e) => e.type === 'DeadlineCancelled' && e.data.deadlineId === close.id)!.data,
    ).toMatchObject({ reason: 'closed_no_response', kind: 'no_response_close' });
    await eventually(async () => ((await scheduleNamesOf(claim.claimId)).length === 0 ? true : undefined));
  });
});

/**
 * Compulsory motor TPL. The escalation is exercised on the Decree 67 advance-payment deadline (3
 * working days): the shared virtual clock may already have been moved a day ahead by another suite,
 * which fires the 24-hour assessment deadline's schedules as soon as they are created.
 */
async function tplClaim(tag: string) {
  const claim = await fileClaim(an, {
    policyNumber: 'TPL-2026-0001',
    cause: 'third_party_property',
    estimatedAmount: { amount: 30_000_000, currency: 'VND' },
    contact: contact(tag),
  });
  await until(hai, claim.claimId, parked());
  await eventually(async () =>
    (await deadlinesOf(claim.claimId)).some((d) => d.kind === 'advance_payment') ? true : undefined,
  );
  return claim;
}

describe('a compulsory motor TPL claim: escalation climbs from the adjuster to the supervisor', () => {
  let claim: { claimId: string; claimNumber: string };
  const adjuster = 'dung.pham';
  const adjusterMail = `${adjuster}@insurer.example.vn`;
  const supervisorMail = 'hai.do@insurer.example.vn';
  const about = (subject: string | undefined) =>
    Boolean(subject?.startsWith(`[${claim.claimNumber}] `) && subject.endsWith(': Tạm ứng bồi thường'));
  const escalations = async (to: string) =>
    (await sentEmails())
      .filter((m) => m.destination.to.includes(to) && about(m.subject))
      .map((m) => m.subject);
  const claimsTopic = async () =>
    (await snsInbox())
      .filter((m) => m.kind === 'topic' && m.topicName === 'claims' && about(m.subject))
      .map((m) => m.subject);
  const advance = async () => (await deadlinesOf(claim.claimId)).find((d) => d.kind === 'advance_payment')!;

  beforeAll(async () => {
    claim = await tplClaim('ladder');
    const c = await getClaim(hai, claim.claimId);
    // The ladder starts at a plain adjuster (automatic assignment may pick the supervisor himself).
    if (c.assignee?.staffId !== userIdFor(adjuster)) {
      const r = await hai.post(`/claims/${claim.claimId}/assignment`, {
        expectedVersion: c.version,
        staffId: userIdFor(adjuster),
        reason: 'Cán bộ giám định khu vực Hà Nội',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
  });

  it('at risk: the assigned adjuster hears, the supervisor and the claims topic not yet', async () => {
    const d = await advance();
    const input = await scheduledInput(d.scheduleNames[0]!);
    expect(input).toMatchObject({ phase: 'at_risk', kind: 'advance_payment' });
    expect(await fireDeadline(input)).toMatchObject({ outcome: 'at_risk', notified: 1 });

    const subject = `[${claim.claimNumber}] Sắp đến hạn: Tạm ứng bồi thường`;
    await eventually(async () => ((await escalations(adjusterMail)).includes(subject) ? true : undefined));
    expect(await escalations(supervisorMail)).toEqual([]);
    expect(await claimsTopic()).toEqual([]);
    expect((await advance()).status).toBe('at_risk');
  });

  it('missed: the adjuster, the supervisor and the claims topic all hear', async () => {
    const d = await advance();
    expect((await fireDeadline(await scheduledInput(d.scheduleNames[1]!))).outcome).toBe('breached');

    const subject = `[${claim.claimNumber}] QUÁ HẠN: Tạm ứng bồi thường`;
    // Recorded at once; the escalation follows from the breach's event on the table stream.
    await eventually(async () => ((await escalations(adjusterMail)).includes(subject) ? true : undefined));
    await eventually(async () => ((await claimsTopic()).length > 0 ? true : undefined));
    expect(await escalations(supervisorMail)).toEqual([subject]);
    expect(await claimsTopic()).toEqual([subject]);
    expect((await advance()).status).toBe('breached');
  });

  it('the staff view says which deadline the red flag belongs to, not the next one due', async () => {
    // The dossier completes: the Art. 31 payment deadline runs, so some insurer deadline is always
    // next due (the assessment if it still runs, else the payment), and it is not the flagged one.
    const missing: string[] = (await getClaim(hai, claim.claimId)).missingDocuments;
    await upload(claim.claimId, missing, 5);
    const view = await until(
      hai,
      claim.claimId,
      (c) => (c.deadlines as Deadline[]).some((d) => d.kind === 'payment') && Boolean(c.nextDeadline),
      15_000,
    );
    const breached = (view.deadlines as Deadline[])
      .filter((d) => d.status === 'breached')
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
    expect(breached.map((d) => d.kind)).toContain('advance_payment');
    expect(view.deadlineFlag).toBe('breached');
    expect(view.flaggedDeadline).toEqual({
      id: breached[0]!.id,
      kind: breached[0]!.kind,
      dueAt: breached[0]!.dueAt,
      status: 'breached',
    });
    expect(view.flaggedDeadline.kind).not.toBe(view.nextDeadline.kind);
  });
});

describe('the advance payment (Decree 67/2023 Art. 14)', () => {
  it('an AdvancePaymentApproved event meets the advance deadline, on time, and nothing else', async () => {
    const claim = await tplClaim('advance');
    const advance = (await deadlinesOf(claim.claimId)).find((d) => d.kind === 'advance_payment')!;
    expect(advance.status).toBe('open');
    const [{ mutateClaim }, { systemClock }] = await Promise.all([
      import('../../lambdas/app/claim-store.ts'),
      import('../../lambdas/core/time.ts'),
    ]);
    // What the advance-payment action records (its use case is built elsewhere): the event itself.
    await mutateClaim(claim.claimId, systemClock, (c) => ({
      claim: c,
      events: [
        {
          type: 'AdvancePaymentApproved',
          actor: { kind: 'staff', role: 'adjuster', id: userIdFor('dung.pham') },
          data: { amount: { amount: 5_000_000, currency: 'VND' } },
        },
      ],
    }));
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.find((x) => x.id === advance.id)?.status === 'met' ? d : undefined;
    });
    const met = metEvents(await timeline(claim.claimId), 'advance_payment');
    expect(met).toHaveLength(1);
    expect(met[0]!.data).toMatchObject({ deadlineId: advance.id, by: 'AdvancePaymentApproved', late: false });
    expect(deadlines.find((d) => d.kind === 'documents_reminder')!.status).toBe('open');
    expect(deadlines.find((d) => d.kind === 'assessment')!.status).not.toBe('met');
    await eventually(async () => {
      const left = await scheduleNamesOf(claim.claimId);
      return advance.scheduleNames.every((n) => !left.includes(n)) ? true : undefined;
    });
  });
});
