import { randomUUID } from 'node:crypto';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../lambdas/adapters/aws-clients.ts';
import { adminEvents } from '../../lambdas/adapters/dynamo/admin-audit-repo.ts';
import { keys } from '../../lambdas/adapters/dynamo/keys.ts';
import { tableName } from '../../lambdas/adapters/dynamo/table.ts';
import { getUser } from '../../lambdas/adapters/dynamo/users-repo.ts';
import { replanRunFor } from '../../lambdas/app/calendar-replan.ts';
import { DEADLINE_RETRY_POLICY } from '../../lambdas/adapters/schedules.ts';
import { scheduleInspectionReminder } from '../../lambdas/app/deadlines.ts';
import { functionName } from '../../lambdas/shared/functions.ts';
import { invokeLocal } from '../../local/lambda-runtime.ts';
import { HolidayCalendar } from '../../lambdas/core/calendar.ts';
import { dueAt } from '../../lambdas/core/deadlines.ts';
import { LONGEST_NOTICE_WINDOW_MS } from '../../lambdas/core/notice-digest.ts';
import { addCalendarDays, businessDate, systemClock } from '../../lambdas/core/time.ts';
import { makeClaimRequest } from '../helpers/factories.ts';
import { fileClaim, getClaim, parked, until, uploadMissingDocuments } from '../helpers/claims.ts';
import { pngBytes, presignedPost } from '../helpers/files.ts';
import { approvedBy, SECOND_ADMIN } from '../helpers/four-eyes.ts';
import {
  type Api,
  eventually,
  fireDeadline,
  scheduledInput,
  schedulesOf,
  sentEmails,
  signIn,
  snsInbox,
  useStack,
} from '../helpers/stack.ts';
import { suitePolicies } from '../helpers/suite-policies.ts';

/**
 * The deadline engine and notifications against the running local stack: the table stream (local
 * stream poller → ProcessClaimEvents), EventBridge Scheduler (stand-in with a virtual clock →
 * DeadlineFired), SES and SNS.
 *
 * The scheduler's clock is shared by every suite and only moves forward, and a clock ahead of the
 * real one fires everyone's schedules early, so no suite moves it: assertions look at this file's
 * own claims only, and deadlines are fired by invoking DeadlineFired with the input their schedule
 * would deliver, in the order Scheduler would.
 */
const stack = useStack();
let an: Api;
let hai: Api;

interface Deadline {
  id: string;
  kind: string;
  from: string;
  status: string;
  dueAt: string;
  anchorAt: string;
  atRiskAt: string;
  scheduleNames: string[];
}
const staffView = async (claimId: string) => (await hai.get(`/claims/${claimId}`)).body;
const deadlinesOf = async (claimId: string): Promise<Deadline[]> =>
  (await staffView(claimId)).deadlines ?? [];
const types = (view: { timeline: { type: string }[] }) => view.timeline.map((e) => e.type);
const recentLoss = (hoursAgo = 6) =>
  new Date(Date.now() - hoursAgo * 3600_000).toISOString().replace('Z', '+00:00');

async function submit(body: ReturnType<typeof makeClaimRequest>) {
  const r = await an.post('/claims', body, { 'idempotency-key': randomUUID() });
  expect(r.status).toBe(201);
  return r.body as { claimId: string; claimNumber: string };
}

const contact = (tag: string) => ({
  phone: '0912345678',
  email: `dl.${tag}.${randomUUID().slice(0, 6)}@example.vn`,
});

beforeAll(async () => {
  [an, hai] = await signIn('an.nguyen', 'hai.do');
});

describe('a motor TPL claim (Decree 67/2023 deadlines)', () => {
  let claim: { claimId: string; claimNumber: string };
  const who = contact('tpl');

  beforeAll(async () => {
    claim = await submit(
      makeClaimRequest({
        policyNumber: 'TPL-2026-0001',
        lossAt: recentLoss(),
        cause: 'third_party_property',
        contact: who,
      }),
    );
  });

  it('schedules every rule that starts at submission and records them on the claim', async () => {
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.length >= 5 ? d : undefined;
    });
    expect(deadlines.map((d) => d.kind).sort()).toEqual(
      ['acknowledgement', 'advance_payment', 'assessment', 'documents_reminder', 'guidance'].sort(),
    );
    expect(deadlines.every((d) => d.from === 'submitted')).toBe(true);
    const assessment = deadlines.find((d) => d.kind === 'assessment')!;
    const submittedAt = Date.parse((await staffView(claim.claimId)).submittedAt);
    expect(Date.parse(assessment.dueAt) - submittedAt).toBe(24 * 3600_000); // Decree 67 Art. 12: 24 h
    expect(assessment.scheduleNames).toEqual([
      `c-${claim.claimId}-${assessment.id}-risk`,
      `c-${claim.claimId}-${assessment.id}-due`,
    ]);
    // A reminder has only its due phase.
    expect(deadlines.find((d) => d.kind === 'documents_reminder')!.scheduleNames).toHaveLength(1);

    const schedules = await schedulesOf(claim.claimId);
    const due = schedules.find((s) => s.name === `c-${claim.claimId}-${assessment.id}-due`);
    expect(due).toMatchObject({
      groupName: 'claims-deadlines',
      targetArn: stack.env.DEADLINE_TARGET_ARN,
      scheduleExpression: `at(${new Date(Math.ceil(Date.parse(assessment.dueAt) / 1000) * 1000).toISOString().slice(0, 19)})`,
    });
    expect(schedules.some((s) => s.name === `c-${claim.claimId}-${assessment.id}-risk`)).toBe(true);
    // A firing Scheduler cannot deliver is retried, then dead-lettered: never dropped unseen.
    const stored = (await (
      await fetch(`${stack.schedulerUrl}/schedules/${due!.name}?groupName=${stack.env.SCHEDULER_GROUP}`)
    ).json()) as { Target: Record<string, unknown> };
    expect(stored.Target).toMatchObject({
      RetryPolicy: DEADLINE_RETRY_POLICY,
      DeadLetterConfig: { Arn: stack.env.SCHEDULER_DEAD_LETTER_ARN },
    });
    expect(stack.env.SCHEDULER_DEAD_LETTER_ARN).toMatch(/^arn:aws:sqs:/);

    const view = await staffView(claim.claimId);
    expect(types(view).filter((t: string) => t === 'DeadlineScheduled')).toHaveLength(5);
    // The customer sees none of this bookkeeping.
    const mine = (await an.get(`/claims/${claim.claimId}`)).body;
    expect(types(mine)).not.toContain('DeadlineScheduled');
  });

  it('meets acknowledgement and guidance with the acknowledgement letter and deletes their schedules', async () => {
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d
        .filter((x) => x.kind === 'acknowledgement' || x.kind === 'guidance')
        .every((x) => x.status === 'met')
        ? d
        : undefined;
    });
    const names = deadlines
      .filter((d) => d.kind === 'acknowledgement' || d.kind === 'guidance')
      .flatMap((d) => d.scheduleNames);
    expect(names).toHaveLength(4);
    const left = (await schedulesOf(claim.claimId)).map((s) => s.name);
    for (const n of names) expect(left).not.toContain(n);
    // The work queue now sorts on the assessment, the nearest insurer deadline still open.
    const view = await staffView(claim.claimId);
    expect(view.nextDeadline).toEqual({
      kind: 'assessment',
      dueAt: deadlines.find((d) => d.kind === 'assessment')!.dueAt,
    });
    expect(
      view.timeline
        .filter((e: { type: string }) => e.type === 'DeadlineMet')
        .map((e: { data: { kind: string; late: boolean } }) => [e.data.kind, e.data.late])
        .sort(),
    ).toEqual([
      ['acknowledgement', false],
      ['guidance', false],
    ]);
  });

  it('booking an inspection meets the assessment deadline and sets a reminder 24 hours before it', async () => {
    const appointment = new Date(Date.now() + 3 * 86_400_000);
    appointment.setUTCMinutes(0, 0, 0);
    const version = (await staffView(claim.claimId)).version;
    const r = await hai.post(`/claims/${claim.claimId}/inspections`, {
      expectedVersion: version,
      at: appointment.toISOString(),
      place: 'Gara Thành Công, 120 Trường Chinh, Hà Nội',
    });
    expect(r.status).toBeLessThan(300);
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.some((x) => x.kind === 'inspection_reminder') ? d : undefined;
    });
    expect(deadlines.find((d) => d.kind === 'assessment')!.status).toBe('met');
    const reminder = deadlines.find((d) => d.kind === 'inspection_reminder')!;
    expect(Date.parse(reminder.dueAt)).toBe(appointment.getTime() - 24 * 3600_000);
    const left = (await schedulesOf(claim.claimId)).map((s) => s.name);
    expect(left).toContain(reminder.scheduleNames[0]);
    expect(left.some((n) => n.includes('-assess-'))).toBe(false);

    const invitation = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(who.email) && m.subject.includes('Lịch giám định'),
      ),
    );
    expect(invitation.body?.text).toContain('Gara Thành Công');
    expect(invitation.body?.text).toContain('đề xuất thời gian khác');

    expect((await fireDeadline(await scheduledInput(reminder.scheduleNames[0]!))).outcome).toBe('reminded');
    const reminders = await eventually(async () => {
      const found = (await sentEmails()).filter(
        (m) => m.subject.includes(claim.claimNumber) && m.subject.includes('Nhắc lịch giám định'),
      );
      return found.length >= 2 ? found : undefined;
    });
    expect(reminders.map((m) => m.destination.to[0])).toContain(who.email);
    // …and the adjuster it is assigned to, in the staff wording.
    expect(reminders.some((m) => m.destination.to[0]?.endsWith('@insurer.example.vn'))).toBe(true);
    expect((await deadlinesOf(claim.claimId)).find((d) => d.id === reminder.id)!.status).toBe('met');
    await eventually(async () =>
      (await schedulesOf(claim.claimId)).some((s) => s.name === reminder.scheduleNames[0]) ? undefined : true,
    );
  });

  it('the customer confirms the appointment once, may ask for another time once, then waits for the adjuster', async () => {
    const view = await an.get(`/claims/${claim.claimId}`);
    const inspectionId = view.body.inspections[0].inspectionId as string;
    const reply = (body: unknown) =>
      an.post(`/claims/${claim.claimId}/inspections/${inspectionId}/reply`, body);
    const events = async (type: string) =>
      ((await staffView(claim.claimId)).timeline as { type: string }[]).filter((e) => e.type === type).length;
    expect((await reply({ reply: 'confirm' })).status).toBe(200);
    // A second tap changes nothing: no second event, no second notice to the handler.
    expect((await reply({ reply: 'confirm' })).status).toBe(200);
    expect(await events('InspectionConfirmed')).toBe(1);
    const later = new Date(Date.now() + 5 * 86_400_000).toISOString();
    expect(
      (await reply({ reply: 'reschedule', proposedAt: later, comment: 'Tôi bận buổi sáng' })).status,
    ).toBe(200);
    // Asked once: the adjuster answers with a new proposal before the customer can ask again.
    const again = await reply({ reply: 'reschedule', proposedAt: later, comment: 'Nhắc lại' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
    expect(await events('InspectionRescheduleRequested')).toBe(1);
  });

  it('reminds of no appointment the customer asked to move; a new proposal gets its own reminder, even back at an earlier time', async () => {
    const first = (await staffView(claim.claimId)).inspections[0] as { at: string };
    const firstReminder = (await deadlinesOf(claim.claimId)).find(
      (d) => d.kind === 'inspection_reminder' && d.anchorAt === first.at,
    )!;
    const propose = async (at: string) => {
      const r = await hai.post(`/claims/${claim.claimId}/inspections`, {
        expectedVersion: (await staffView(claim.claimId)).version,
        at,
        place: 'Gara Thành Công, 120 Trường Chinh, Hà Nội',
      });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return eventually(async () =>
        (await deadlinesOf(claim.claimId)).find(
          (d) => d.kind === 'inspection_reminder' && d.anchorAt === at && d.status === 'open',
        ),
      );
    };
    const second = await propose(new Date(Date.parse(first.at) + 86_400_000).toISOString());
    const proposals = (await an.get(`/claims/${claim.claimId}`)).body.inspections as {
      inspectionId: string;
    }[];
    const asked = await an.post(
      `/claims/${claim.claimId}/inspections/${proposals.at(-1)!.inspectionId}/reply`,
      {
        reply: 'reschedule',
        proposedAt: new Date(Date.now() + 6 * 86_400_000).toISOString(),
        comment: 'Tôi bận hôm đó',
      },
    );
    expect(asked.status).toBe(200);
    expect(await fireDeadline(await scheduledInput(second.scheduleNames[0]!))).toMatchObject({
      outcome: 'ignored',
      reason: 'NOTHING_TO_REMIND',
    });
    // Back at the first appointment's time: a reminder of its own, though that time had one before.
    const third = await propose(first.at);
    expect(third.id).not.toBe(firstReminder.id);
    expect(third.dueAt).toBe(firstReminder.dueAt);

    // The stream redelivers the second proposal's event: the standing appointment keeps its reminder.
    const inspections = (await staffView(claim.claimId)).inspections as {
      inspectionId: string;
      at: string;
    }[];
    const secondProposal = inspections.at(-2)!;
    expect(
      await scheduleInspectionReminder(
        claim.claimId,
        new Date(secondProposal.at),
        systemClock,
        secondProposal.inspectionId,
      ),
    ).toBeUndefined();
    expect((await deadlinesOf(claim.claimId)).find((d) => d.id === third.id)?.status).toBe('open');
  });
});

describe('a motor own-damage claim: documents, an information request, closure for no response', () => {
  let claim: { claimId: string; claimNumber: string };
  const who = contact('od');

  beforeAll(async () => {
    // Above the straight-through limit, so it waits for a person after the dossier completes.
    claim = await submit(
      makeClaimRequest({
        lossAt: recentLoss(),
        estimatedAmount: { amount: 60_000_000, currency: 'VND' },
        contact: who,
      }),
    );
    await eventually(async () => ((await deadlinesOf(claim.claimId)).length >= 2 ? true : undefined));
  });

  it('completing the dossier meets the documents reminder, starts the Art. 31 clock and tells the customer', async () => {
    const missing: string[] = (await an.get(`/claims/${claim.claimId}`)).body.missingDocuments;
    expect(missing.length).toBeGreaterThan(0);
    for (const [i, docType] of missing.entries()) {
      const bytes = pngBytes(4, 4, [10 * i, 40, 200]);
      const r = await an.post(`/claims/${claim.claimId}/documents`, {
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
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.some((x) => x.kind === 'payment') ? d : undefined;
    }, 20_000);
    const reminder = deadlines.find((d) => d.kind === 'documents_reminder' && d.from === 'submitted')!;
    expect(reminder.status).toBe('met');
    const payment = deadlines.find((d) => d.kind === 'payment')!;
    expect(payment).toMatchObject({ from: 'dossier_complete', status: 'open' });
    // 15 calendar days, ending at the end of a Vietnamese day (Law 08/2022 Art. 31).
    expect(new Date(payment.dueAt).toISOString()).toMatch(/T16:59:59\.999Z$/);

    const left = (await schedulesOf(claim.claimId)).map((s) => s.name);
    expect(left).not.toContain(reminder.scheduleNames[0]);
    expect(left).toEqual(expect.arrayContaining(payment.scheduleNames));

    // The completed-file notice is held for its window, in case a decision follows at once
    // (core/notice-digest.ts).
    const mail = await eventually(
      async () =>
        (await sentEmails()).find(
          (m) => m.destination.to.includes(who.email) && m.subject.includes('nhận đủ hồ sơ'),
        ),
      LONGEST_NOTICE_WINDOW_MS + 20_000,
      500,
    );
    expect(mail.subject).toContain(claim.claimNumber);
    expect(mail.body?.text).toContain('Điều 31');
    const sms = await eventually(async () =>
      (await snsInbox()).find(
        (m) => m.kind === 'sms' && m.message.includes(claim.claimNumber) && m.message.includes('15 ngày'),
      ),
    );
    expect(sms.to).toBe('+84912345678');
  }, 90_000);

  it('an information request tells the customer what to send by when, and starts its own deadlines', async () => {
    const version = (await staffView(claim.claimId)).version;
    const r = await hai.post(`/claims/${claim.claimId}/info-requests`, {
      expectedVersion: version,
      message: 'Vui lòng gửi biên bản giám định của gara và ảnh chụp biển số xe.',
      documents: ['police_report'],
    });
    expect(r.status).toBeLessThan(300);
    const deadlines = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      return d.filter((x) => x.from === 'info_requested').length === 2 ? d : undefined;
    });
    const close = deadlines.find((d) => d.kind === 'no_response_close')!;
    expect(close.scheduleNames).toHaveLength(2);
    expect(
      deadlines.find((d) => d.kind === 'documents_reminder' && d.from === 'info_requested')!.status,
    ).toBe('open');

    const mail = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(who.email) && m.subject.includes('bổ sung thông tin'),
      ),
    );
    expect(mail.body?.text).toContain('biên bản giám định của gara');
    expect(mail.body?.text).toContain('Kết luận của cơ quan công an'); // the requested document, by name
    expect(mail.body?.text).not.toContain('&#x2F;'); // plain text is not HTML-escaped
  });

  it('the documents reminder reminds the customer and is not a breach', async () => {
    const reminder = (await deadlinesOf(claim.claimId)).find(
      (d) => d.kind === 'documents_reminder' && d.from === 'info_requested',
    )!;
    const input = await scheduledInput(reminder.scheduleNames[0]!);
    expect(input).toMatchObject({
      claimId: claim.claimId,
      kind: 'documents_reminder',
      phase: 'due',
      dueAt: reminder.dueAt,
    });
    expect((await fireDeadline(input)).outcome).toBe('reminded');
    expect((await fireDeadline(input)).outcome).toBe('ignored'); // Scheduler delivers at least once

    const view = await staffView(claim.claimId);
    expect(types(view)).toContain('ReminderSent');
    expect(types(view)).not.toContain('DeadlineBreached');
    const mail = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(who.email) && m.subject.includes('Nhắc nhở'),
      ),
    );
    expect(mail.body?.text).toContain('biên bản giám định của gara');
  });

  it('no answer by the closure deadline resumes the workflow, which closes the claim; nothing stays scheduled', async () => {
    const close = (await deadlinesOf(claim.claimId)).find((d) => d.kind === 'no_response_close')!;
    const input = await scheduledInput(close.scheduleNames[1]!);
    expect(input).toMatchObject({ phase: 'due' });
    expect((await fireDeadline(input)).outcome).toBe('closing');

    const view = await eventually(async () => {
      const v = await staffView(claim.claimId);
      // The closure deadline itself is recorded (closed) at once; the closure then cancels the rest.
      const running = (v.deadlines as Deadline[]).some((d) => d.status === 'open' || d.status === 'at_risk');
      return v.status === 'CLOSED_NO_RESPONSE' && !running ? v : undefined;
    });
    const statuses = Object.fromEntries(
      (view.deadlines as Deadline[]).map((d) => [`${d.kind}/${d.from}`, d.status]),
    );
    expect(statuses).toMatchObject({
      'no_response_close/info_requested': 'closed', // nobody answered: closed, not met
      'payment/dossier_complete': 'cancelled',
    });
    expect(
      (view.deadlines as Deadline[]).filter((d) => d.status === 'open' || d.status === 'at_risk'),
    ).toEqual([]);
    expect(view.nextDeadline).toBeUndefined();
    await eventually(async () => ((await schedulesOf(claim.claimId)).length === 0 ? true : undefined));

    const notice = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(who.email) && m.subject.includes('đóng hồ sơ'),
      ),
    );
    expect(notice.body?.text).toContain('Điều 30');
  });
});

describe('a rejected claim', () => {
  it('has no schedules left, and the customer gets a letter citing the clause and the right to complain', async () => {
    const who = contact('rej');
    const claim = await submit(
      makeClaimRequest({
        lossAt: recentLoss(),
        estimatedAmount: { amount: 30_000_000, currency: 'VND' },
        contact: who,
      }),
    );
    const before = await eventually(async () => {
      const v = await staffView(claim.claimId);
      return v.status === 'AWAITING_DOCUMENTS' && (v.deadlines ?? []).length >= 2 ? v : undefined;
    });
    expect((await schedulesOf(claim.claimId)).length).toBeGreaterThan(0);

    const reasons = [
      {
        clause: 'Điều 12.3 Quy tắc bảo hiểm vật chất xe',
        text: 'Người điều khiển xe không có giấy phép lái xe hợp lệ tại thời điểm xảy ra tai nạn.',
      },
      {
        clause: 'Điều 4.1(b) Hợp đồng bảo hiểm',
        text: 'Tổn thất xảy ra ngoài phạm vi lãnh thổ bảo hiểm đã thỏa thuận.',
      },
    ];
    const r = await hai.post(`/claims/${claim.claimId}/decision`, {
      outcome: 'reject',
      expectedVersion: before.version,
      reasons,
    });
    expect(r.status).toBe(200);

    const view = await eventually(async () => {
      const v = await staffView(claim.claimId);
      return types(v).includes('DeadlineCancelled') ? v : undefined;
    });
    expect(
      (view.deadlines as Deadline[]).filter((d) => d.status === 'open' || d.status === 'at_risk'),
    ).toEqual([]);
    await eventually(async () => ((await schedulesOf(claim.claimId)).length === 0 ? true : undefined));

    const letter = await eventually(async () =>
      (await sentEmails()).find(
        (m) => m.destination.to.includes(who.email) && m.subject.includes('từ chối bồi thường'),
      ),
    );
    const text = letter.body?.text ?? '';
    for (const reason of reasons) {
      expect(text).toContain(reason.clause);
      expect(text).toContain(reason.text);
    }
    expect(text).toContain('khoản 2 Điều 20 Luật Kinh doanh bảo hiểm');
    expect(text).toContain('Khiếu nại với doanh nghiệp bảo hiểm');
    expect(text).toContain('Điều 429 Bộ luật Dân sự');
  });
});

describe('decisions and payment', () => {
  /** A total loss uses up a car's sum insured: on a policy of the suite's own, not the shared demo one. */
  const policies = suitePolicies('MOT-DLN');
  afterAll(() => policies.removeAll());
  const assess = async (claimId: string, amount: number) => {
    const c = await getClaim(hai, claimId);
    const r = await hai.post(`/claims/${claimId}/assessment`, {
      expectedVersion: c.version,
      items: [
        { description: 'Thay cản trước, sơn', coverCode: 'OD', assessedAmount: amount, kind: 'repair' },
      ],
      marketValue: 650_000_000,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const decide = async (claimId: string) => {
    const c = await getClaim(hai, claimId);
    return hai.post(`/claims/${claimId}/decision`, { outcome: 'approve', expectedVersion: c.version });
  };

  it('a large loss asks each department on its topic, and its people by email', async () => {
    const claim = await fileClaim(an, {
      policyNumber: await policies.running(200, 200),
      estimatedAmount: { amount: 600_000_000, currency: 'VND' },
      contact: contact('joint'),
    });
    await until(hai, claim.claimId, parked());
    await uploadMissingDocuments(an, claim.claimId, 8);
    await assess(claim.claimId, 600_000_000);
    expect((await decide(claim.claimId)).status).toBe(202);

    const topics = await eventually(async () => {
      const found = (await snsInbox()).filter(
        (m) => m.kind === 'topic' && m.subject?.includes(claim.claimNumber),
      );
      return found.length >= 3 ? found : undefined;
    });
    // MOTOR_OD's joint decision: claims, underwriting and finance (the claims department by its supervisors).
    expect(topics.map((m) => m.topicName).sort()).toEqual(['claims', 'finance', 'underwriting']);
    expect(topics[0]!.subject).toContain('Đề nghị phê duyệt bồi thường');
    const to = await eventually(async () => {
      const found = (await sentEmails())
        .filter((m) => m.subject.includes(claim.claimNumber) && m.subject.includes('Đề nghị phê duyệt'))
        .flatMap((m) => m.destination.to);
      return found.length >= 3 ? found : undefined;
    });
    expect(to).toEqual(
      expect.arrayContaining([
        'hai.do@insurer.example.vn',
        'khanh.bui@insurer.example.vn',
        'minh.dang@insurer.example.vn',
      ]),
    );
    expect(to).not.toContain('lan.ngo@insurer.example.vn'); // legal is not on this product's panel
  });

  it('approval and payment tell the customer; queueing the payment ends every deadline but the Art. 31 one, which the bank meets', async () => {
    const who = contact('paid');
    const claim = await fileClaim(an, {
      estimatedAmount: { amount: 30_000_000, currency: 'VND' },
      contact: who,
    });
    await until(hai, claim.claimId, parked());
    await uploadMissingDocuments(an, claim.claimId, 7);
    await until(hai, claim.claimId, (c) => (c.deadlines ?? []).some((d: Deadline) => d.kind === 'payment'));
    await assess(claim.claimId, 30_000_000);
    expect((await decide(claim.claimId)).status).toBe(200);

    // Queued is not paid: the payment deadline stays open (tests/integration/finance.int.test.ts
    // shows the bank's confirmation meeting it); nothing else is left open.
    const view = await eventually(async () => {
      const v = await staffView(claim.claimId);
      const open = (v.deadlines ?? []).filter((d: Deadline) => d.status === 'open' || d.status === 'at_risk');
      return v.status === 'PAYMENT_QUEUED' && v.waitingFor === 'payment' && open.length === 1 ? v : undefined;
    });
    const payment = (view.deadlines as Deadline[]).find((d) => d.kind === 'payment')!;
    expect(['open', 'at_risk']).toContain(payment.status);
    expect(
      view.timeline.some(
        (e: { type: string; data: { kind?: string } }) =>
          e.type === 'DeadlineMet' && e.data.kind === 'payment',
      ),
    ).toBe(false);
    expect(
      (view.deadlines as Deadline[])
        .filter((d) => d.status === 'open' || d.status === 'at_risk')
        .map((d) => d.kind),
    ).toEqual(['payment']);
    await eventually(async () => {
      const left = await schedulesOf(claim.claimId);
      return left.length > 0 && left.every((x) => x.name.includes('-pay-')) ? true : undefined;
    });

    const mine = await eventually(async () => {
      const found = (await sentEmails()).filter((m) => m.destination.to.includes(who.email));
      return found.some((m) => m.subject.includes('lệnh chi')) &&
        found.some((m) => m.subject.includes('được chấp thuận'))
        ? found
        : undefined;
    });
    const approved = mine.find((m) => m.subject.includes('được chấp thuận'))!;
    expect(approved.subject).toMatch(/\d{1,3}(\.\d{3})+\s₫$/); // đồng, Vietnamese grouping
    expect(approved.body?.text).toContain('Điều 31');
    const sms = await eventually(async () =>
      (await snsInbox()).find(
        (m) => m.kind === 'sms' && m.message.includes(claim.claimNumber) && m.message.includes('lệnh chi'),
      ),
    );
    expect(sms.message).toContain('₫');
  });
});

describe('a deadline that passes', () => {
  it('warns at risk, then records the breach at its own time and escalates to supervisors and the claims topic', async () => {
    const who = contact('late');
    const claim = await submit(
      makeClaimRequest({
        policyNumber: 'TPL-2026-0001',
        lossAt: recentLoss(3),
        cause: 'third_party_property',
        contact: who,
      }),
    );
    // Once intake is done: the acknowledgement letter has met the acknowledgement and guidance deadlines.
    const assessment = await eventually(async () => {
      const d = await deadlinesOf(claim.claimId);
      const a = d.find((x) => x.kind === 'assessment');
      const acknowledged = d
        .filter((x) => x.kind === 'acknowledgement' || x.kind === 'guidance')
        .every((x) => x.status === 'met');
      return a && d.length >= 5 && acknowledged ? a : undefined;
    });
    // Each schedule fired as Scheduler fires it, in its order (at risk, then due), with the input it
    // carries. The shared stack's Scheduler clock is never moved: a clock ahead of the real one
    // fires every suite's schedules early (held notices among them, core/notice-digest.ts). The
    // stand-in's own clock is exercised by local-services and the deadline-flag browser test.
    const fired: [string, string][] = [];
    for (const name of assessment.scheduleNames)
      fired.push([name, (await fireDeadline(await scheduledInput(name))).outcome]);
    expect(fired).toEqual([
      [assessment.scheduleNames[0], 'at_risk'],
      [assessment.scheduleNames[1], 'breached'],
    ]);

    const view = await staffView(claim.claimId);
    const after = (view.deadlines as Deadline[]).find((d) => d.id === assessment.id)!;
    expect(after.status).toBe('breached');
    const breach = view.timeline.find((e: { type: string }) => e.type === 'DeadlineBreached');
    expect(breach.data).toMatchObject({
      kind: 'assessment',
      dueAt: assessment.dueAt,
      basis: 'Decree 67/2023/ND-CP Art. 12',
    });
    // Recorded at the instant it fell due (Scheduler's scheduled time), not at the wall clock.
    expect(Date.parse(breach.at)).toBeGreaterThanOrEqual(Date.parse(assessment.dueAt));
    expect(Date.parse(breach.at) - Date.parse(assessment.dueAt)).toBeLessThan(2_000);
    expect(types(view)).toContain('DeadlineAtRisk');
    // Acknowledgement was sent long before: met, not breached, even though its time has passed.
    expect((view.deadlines as Deadline[]).find((d) => d.kind === 'acknowledgement')!.status).toBe('met');

    // At risk, the assigned adjuster hears; missed, the supervisors too (deadline-truth.int.test.ts).
    // The breach's escalation follows from its event on the table stream.
    // Whoever the assignment chose: a staff account another suite created (and a second admin
    // approved) may be the least loaded adjuster, not a demo one.
    const assignee = (await getUser(view.assignee.staffId))!.email;
    const subjectsTo = async (to: string) =>
      (await sentEmails())
        .filter((m) => m.subject.includes(claim.claimNumber) && m.destination.to.includes(to))
        .map((m) => m.subject);
    const missed = `[${claim.claimNumber}] QUÁ HẠN: Giám định tổn thất`;
    await eventually(async () => ((await subjectsTo(assignee)).includes(missed) ? true : undefined));
    await eventually(async () =>
      (await snsInbox()).some((m) => m.kind === 'topic' && m.topicName === 'claims' && m.subject === missed)
        ? true
        : undefined,
    );
    expect(await subjectsTo(assignee)).toEqual(
      expect.arrayContaining([
        `[${claim.claimNumber}] Sắp đến hạn: Giám định tổn thất`,
        `[${claim.claimNumber}] QUÁ HẠN: Giám định tổn thất`,
      ]),
    );
    expect(await subjectsTo('hai.do@insurer.example.vn')).toContain(
      `[${claim.claimNumber}] QUÁ HẠN: Giám định tổn thất`,
    );
    const topic = (await snsInbox()).filter(
      (m) => m.kind === 'topic' && m.topicName === 'claims' && m.subject?.includes(claim.claimNumber),
    );
    expect(topic.map((m) => m.subject)).toContain(`[${claim.claimNumber}] QUÁ HẠN: Giám định tổn thất`);
    expect(topic[0]!.message).toContain('--- English ---');
    // The customer is not told about internal deadlines.
    expect(
      (await sentEmails())
        .filter((m) => m.destination.to.includes(who.email))
        .map((m) => m.subject)
        .join('\n'),
    ).not.toMatch(/QUÁ HẠN|Sắp đến hạn/);
  });
});

describe('a holiday calendar change', () => {
  // The working-day deadlines already running are planned again from their anchors, and the
  // insurer's move to the earlier due date with their schedules: the CalendarChanged event, from the
  // table stream, starts the deadline-replan state machine, whose ReplanDeadlines steps page through
  // the open claims (app/deadlines.ts replanOpenDeadlinesPage).
  interface CalendarInForce {
    version: number;
    calendar: { weekend: number[]; holidays: string[]; workingWeekends: string[] };
  }
  let admin: Api;
  /** Approves what `admin` proposes when it loosens the calendar (a holiday added: four eyes). */
  let admin2: Api;
  let original: CalendarInForce;
  const inForce = async () => (await admin.get('/admin/products')).body.calendar as CalendarInForce;
  const putCalendar = async (calendar: CalendarInForce['calendar']) => {
    const r = await approvedBy(
      admin2,
      await admin.raw('/admin/calendar', {
        method: 'PUT',
        body: JSON.stringify({ expectedVersion: (await inForce()).version, calendar }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  beforeAll(async () => {
    [admin, admin2] = await signIn('admin', SECOND_ADMIN);
    original = await inForce();
  });

  afterAll(async () => {
    if (JSON.stringify((await inForce()).calendar) !== JSON.stringify(original.calendar))
      await putCalendar(original.calendar);
  });

  it('moves a running advance-payment deadline to the earlier due date, and its schedule with it', async () => {
    // The next six days declared holidays (say, a provisional break), then the claim is filed.
    const today = businessDate(new Date());
    const { holidays, workingWeekends } = original.calendar;
    const days = [1, 2, 3, 4, 5, 6]
      .map((n) => addCalendarDays(today, n))
      .filter((d) => !holidays.includes(d) && !workingWeekends.includes(d));
    await putCalendar({ ...original.calendar, holidays: [...original.calendar.holidays, ...days] });
    const claim = await submit(
      makeClaimRequest({
        policyNumber: 'TPL-2026-0001',
        lossAt: recentLoss(),
        cause: 'third_party_property',
        contact: contact('cal'),
      }),
    );
    const planned = await eventually(async () =>
      (await deadlinesOf(claim.claimId)).find((d) => d.kind === 'advance_payment'),
    );
    const rule = { kind: 'advance_payment', amount: 3, unit: 'working_days' } as const;
    const anchor = new Date(planned.anchorAt);
    const withBreak = HolidayCalendar.parse({
      ...original.calendar,
      holidays: [...original.calendar.holidays, ...days],
    });
    expect(planned.dueAt).toBe(dueAt(rule, anchor, withBreak).toISOString());
    const oldDue = `c-${claim.claimId}-${planned.id}-due`;
    expect((await schedulesOf(claim.claimId)).map((s) => s.name)).toContain(oldDue);

    // The break is withdrawn: the deadline is due when the calendar in force says, which is earlier.
    await putCalendar(original.calendar);
    const expected = dueAt(rule, anchor, HolidayCalendar.parse(original.calendar)).toISOString();
    expect(Date.parse(expected)).toBeLessThan(Date.parse(planned.dueAt));
    const moved = await eventually(
      async () => (await deadlinesOf(claim.claimId)).find((d) => d.id === planned.id && d.dueAt === expected),
      30_000,
    );
    expect(moved.status).toBe('open');
    const view = await staffView(claim.claimId);
    expect(view.timeline).toContainEqual(
      expect.objectContaining({
        type: 'DeadlineScheduled',
        data: expect.objectContaining({
          deadlineId: planned.id,
          previousDueAt: planned.dueAt,
          dueAt: expected,
        }),
      }),
    );
    // Its schedule moved: a new one at the new instant, the old one gone.
    const names = await eventually(async () => {
      const s = (await schedulesOf(claim.claimId)).map((x) => x.name);
      return s.includes(oldDue) ? undefined : s;
    });
    expect(names).toContain(`${oldDue}.1`);
    expect(moved.scheduleNames).toContain(`${oldDue}.1`);
    const input = await scheduledInput(`${oldDue}.1`);
    expect(input).toMatchObject({ deadlineId: planned.id, phase: 'due', dueAt: expected });
    expect(Date.parse(String(input.scheduledTime))).toBe(Math.ceil(Date.parse(expected) / 1000) * 1000);
  });

  it('starts one re-planning run per change, however often the stream delivers its record', async () => {
    const sfn = new SFNClient({});
    const runsOf = async (prefix: string) =>
      (
        await sfn.send(
          new ListExecutionsCommand({ stateMachineArn: stack.env.DEADLINE_REPLAN_STATE_MACHINE_ARN }),
        )
      ).executions?.filter((e) => e.name?.startsWith(prefix)) ?? [];
    // A holiday years ahead (a Wednesday): nothing running moves, but the change is a change.
    const current = (await inForce()).calendar;
    await putCalendar({ ...current, holidays: [...current.holidays, '2030-03-13'] });
    const { version } = await inForce();
    const change = (await adminEvents()).findLast(
      (e) => e.type === 'CalendarChanged' && e.data?.version === version,
    )!;
    const { name } = replanRunFor({ seq: change.seq, hash: change.hash, data: { version } });
    expect(name).toMatch(new RegExp(`^calendar-v${version}-[0-9a-f]{16}$`));
    // The stream delivered it once: its run ran to the end.
    const run = await eventually(
      async () => (await runsOf(name)).find((e) => e.status === 'SUCCEEDED'),
      30_000,
    );
    expect(run.name).toBe(name);

    // The same record again (a retried batch, a redrive from the dead-letter queue), as the event
    // source mapping delivers it: handled, and no second run.
    const item = (
      await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.adminEvent(change.seq) }))
    ).Item!;
    const record = (n: number) => ({
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: `redelivered-${n}`,
        NewImage: marshall(item, { removeUndefinedValues: true }),
      },
    });
    for (const n of [1, 2]) {
      const r = await invokeLocal(functionName('ProcessClaimEvents'), { Records: [record(n)] });
      expect(r).toEqual({ batchItemFailures: [] });
    }
    expect((await runsOf(`calendar-v${version}-`)).map((e) => [e.name, e.status])).toEqual([
      [name, 'SUCCEEDED'],
    ]);
    sfn.destroy();
  });
});
