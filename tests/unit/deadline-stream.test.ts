import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Claim } from '../../lambdas/core/claim.ts';
import type { ClaimEvent, EventType, NewEvent } from '../../lambdas/core/events.ts';
import type { HolidayCalendar } from '../../lambdas/core/calendar.ts';
import { TransientDependencyError } from '../../lambdas/core/errors.ts';

/**
 * The deadline engine as the table stream drives it: claim events, in `seq` order, handed to
 * `reactToClaimEvent` (lambdas/app/claim-events.ts), which settles, plans and cancels deadlines
 * (lambdas/app/deadlines.ts). The claim store is an in-memory table; schedules, notifications,
 * fraud scoring and metrics are stand-ins. What is under test is which deadlines stay running.
 */
const table = new Map<string, Claim>();
const written: NewEvent[] = [];
const schedules = new Map<string, { at: Date; input: Record<string, unknown> }>();
const calendar: { inForce?: HolidayCalendar; version: number } = { version: 1 };
/** The notification services: down while `failing`; what reached people otherwise. */
const notices = { failing: false, escalated: [] as { deadline: string; level: string }[] };

vi.mock('../../lambdas/adapters/dynamo/claims-repo.ts', () => ({
  getClaim: async (id: string) => structuredClone(table.get(id)),
  claimRead: (id: string) => id,
  // The work-queue index read as DynamoDB pages it: in sort-key order, from after `after`, `limit` at a time.
  claimsByStatus: async (status: string, after: string | undefined, limit: number) => {
    const all = [...table.values()]
      .filter((c) => c.status === status)
      .map((c) => ({ sortKey: c.claimId, item: structuredClone(c) }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1))
      .filter((i) => after === undefined || i.sortKey > after);
    const items = all.slice(0, limit);
    return { items, next: all.length > limit ? items.at(-1)?.sortKey : undefined };
  },
}));
vi.mock('../../lambdas/adapters/schedules.ts', () => ({
  createOneTimeSchedule: async (s: { name: string; at: Date; input: Record<string, unknown> }) => {
    if (schedules.has(s.name)) return 'exists';
    schedules.set(s.name, { at: s.at, input: s.input });
    return 'created';
  },
  deleteSchedule: async (name: string) => void schedules.delete(name),
}));
vi.mock('../../lambdas/adapters/metrics.ts', () => ({ countMetrics: () => undefined }));
vi.mock('../../lambdas/app/fraud.ts', () => ({ scoreClaim: async () => undefined }));
vi.mock('../../lambdas/app/held-notices.ts', () => ({ holdNotice: async () => undefined }));
vi.mock('../../lambdas/app/workflow-signals.ts', () => ({ deliverWorkflowSignal: async () => undefined }));
vi.mock('../../lambdas/app/claim-store.ts', () => ({
  getClaimWithConfig: async (id: string) => structuredClone(table.get(id)),
  mutateClaim: async (
    id: string,
    _clock: unknown,
    change: (c: Claim) => Promise<unknown> | unknown,
  ): Promise<Claim | undefined> => {
    const r = (await change(structuredClone(table.get(id) as Claim))) as {
      claim: Claim;
      events?: NewEvent[];
    } | null;
    if (r) {
      table.set(id, r.claim);
      written.push(...(r.events ?? []));
    }
    return table.get(id);
  },
}));
vi.mock('../../lambdas/app/notifications.ts', () => ({
  NOTIFIED_EVENTS: {},
  notifyForEvent: async () => undefined,
  escalateDeadline: async (_c: unknown, d: { kind: string; dueAt: string }, level: string) => {
    // What notifications.ts throws when nothing could be sent and a retry may help.
    if (notices.failing)
      throw new TransientDependencyError('deadline_breached: no notification could be sent');
    notices.escalated.push({ deadline: `${d.kind}@${d.dueAt}`, level });
    return { sent: 1, failed: 0, channels: ['email'] };
  },
  remindCustomer: async () => ({ sent: 1, failed: 0, channels: ['email'] }),
  remindInspection: async () => ({ sent: 1, failed: 0, channels: ['email'] }),
}));
vi.mock('../../lambdas/app/products.ts', async () => {
  const { DEFAULT_PRODUCTS } = await import('../../lambdas/core/products.ts');
  const { VN_DEFAULT_CALENDAR } = await import('../../lambdas/core/calendar.ts');
  return {
    loadProduct: async (code: string) => DEFAULT_PRODUCTS.find((p) => p.code === code),
    loadCalendar: async () => calendar.inForce ?? VN_DEFAULT_CALENDAR,
    calendarInForce: async () => ({
      calendar: calendar.inForce ?? VN_DEFAULT_CALENDAR,
      version: calendar.version,
    }),
    invalidateConfigCache: () => undefined,
    readWithConfig: async () => ({}),
  };
});

const { reactInClaimOrder, reactToClaimEvent } = await import('../../lambdas/app/claim-events.ts');
const { onDeadlineFired, replanOpenDeadlinesPage, trackedDeadlines } = await import(
  '../../lambdas/app/deadlines.ts'
);
const { VN_DEFAULT_CALENDAR } = await import('../../lambdas/core/calendar.ts');
const { fixedClock } = await import('../../lambdas/core/time.ts');

const ID = 'd'.repeat(26);

/** A stored claim event as the stream delivers it (hashes are not checked here). */
let nextSeq = 1;
const event = (type: EventType, at: string, data: Record<string, unknown> = {}): ClaimEvent => ({
  claimId: ID,
  seq: nextSeq++,
  at,
  type,
  actor: { kind: 'staff', id: 'u-1' },
  data,
  prevHash: '',
  hash: '',
});
/** Delivers `e` with the processor's clock at `now` (default: when the event happened). */
const deliver = (e: ClaimEvent, now = e.at) => reactToClaimEvent(e, fixedClock(now));
const deadlinesOf = (kind: string) => trackedDeadlines(table.get(ID) as Claim).filter((d) => d.kind === kind);

/**
 * A re-planning run as the deadline-replan state machine drives it: ReplanDeadlines pages from the
 * cursor each page returns until the run is done or superseded.
 */
async function replanRun(
  now: string,
  opts: { calendarVersion?: number; maxClaims?: number; hasTime?: () => boolean } = {},
) {
  const { calendarVersion = calendar.version, maxClaims = 100, hasTime = () => true } = opts;
  const cursors: unknown[] = [];
  let totals = { claims: 0, moved: 0 };
  let cursor: { statusIndex: number; after?: string } = { statusIndex: 0 };
  for (let pages = 1; pages < 1000; pages++) {
    const page = await replanOpenDeadlinesPage(
      calendarVersion,
      cursor,
      { maxClaims, hasTime },
      fixedClock(now),
      totals,
    );
    if (page.outcome !== 'more') return { ...page, pages, cursors };
    cursors.push(page.cursor);
    ({ cursor } = page);
    totals = { claims: page.claims, moved: page.moved };
  }
  throw new Error('the run never ended');
}

beforeEach(() => {
  table.clear();
  written.length = 0;
  schedules.clear();
  delete calendar.inForce;
  calendar.version = 1;
  notices.failing = false;
  notices.escalated.length = 0;
  nextSeq = 1;
  table.set(ID, {
    claimId: ID,
    productCode: 'MOTOR_OD',
    status: 'UNDER_ASSESSMENT',
    deadlines: [],
    requiredDocuments: [],
    receivedDocuments: [],
  } as unknown as Claim);
});

describe('the appeal decision deadline', () => {
  it('keeps running while the decision waits for approval, and is breached when a send-back leaves it undecided', async () => {
    await deliver(
      event('ClaimAppealed', '2026-12-01T03:00:00.000Z', { filedAt: '2026-12-01T03:00:00.000Z' }),
    );
    const [planned] = deadlinesOf('appeal_decision');
    expect(planned?.status).toBe('open');

    // The handler proposes to approve above their authority; the supervisor sends it back.
    await deliver(event('ApprovalRequested', '2026-12-03T03:00:00.000Z'));
    await deliver(event('ApprovalSentBack', '2026-12-04T03:00:00.000Z', { comment: 'check again' }));
    expect(deadlinesOf('appeal_decision').map((d) => d.status)).toEqual(['open']);

    // Nobody decides: at the due instant the deadline is breached.
    const fired = await onDeadlineFired(
      {
        claimId: ID,
        deadlineId: planned!.id,
        kind: 'appeal_decision',
        phase: 'due',
        dueAt: planned!.dueAt,
        scheduledTime: planned!.dueAt,
      },
      fixedClock(new Date(Date.parse(planned!.dueAt) + 1)),
    );
    expect(fired.outcome).toBe('breached');
    expect(deadlinesOf('appeal_decision').map((d) => d.status)).toEqual(['breached']);
  });

  it('is met by the decision on the appeal', async () => {
    await deliver(
      event('ClaimAppealed', '2026-12-01T03:00:00.000Z', { filedAt: '2026-12-01T03:00:00.000Z' }),
    );
    await deliver(event('ApprovalRequested', '2026-12-03T03:00:00.000Z'));
    // The supervisor approves: the decision's write carries AppealDecided before ClaimApproved.
    await deliver(event('AppealDecided', '2026-12-05T03:00:00.000Z', { outcome: 'overturned' }));
    await deliver(event('ClaimApproved', '2026-12-05T03:00:00.000Z'));
    expect(deadlinesOf('appeal_decision')).toMatchObject([
      { status: 'met', metAt: '2026-12-05T03:00:00.000Z' },
    ]);
  });
});

describe('events the stream delivers again', () => {
  // A batch retried after a failure (reportBatchItemFailures, bisectBatchOnError) replays records
  // already handled, in their order: the reactions must come out as they did the first time.
  const complete = '2026-11-02T03:00:00.000Z';
  const history = () => [
    event('DossierCompleted', complete, { completedAt: complete }),
    event('ClaimRejected', '2026-11-05T03:00:00.000Z'),
    event('ClaimAppealed', '2026-11-06T03:00:00.000Z', { filedAt: '2026-11-06T03:00:00.000Z' }),
    event('AppealDecided', '2026-11-09T03:00:00.000Z', { outcome: 'overturned' }),
    event('ClaimApproved', '2026-11-09T03:00:00.000Z'),
  ];

  it('leave the payment deadline an overturned rejection reinstated open', async () => {
    table.set(ID, { ...table.get(ID)!, dossierCompleteAt: complete } as Claim);
    const events = history();
    for (const e of events) await deliver(e);
    const reinstated = deadlinesOf('payment').filter((d) => d.status === 'open');
    expect(reinstated).toHaveLength(1);

    const before = written.length;
    for (const e of events) await deliver(e, '2026-11-09T04:00:00.000Z');
    expect(deadlinesOf('payment').map((d) => [d.id, d.status])).toEqual([
      [reinstated[0]!.id.replace(/-a$/, ''), 'cancelled'],
      [reinstated[0]!.id, 'open'],
    ]);
    // Replayed, nothing was cancelled or planned again.
    expect(written.slice(before)).toEqual([]);
  });

  it('leave the appeal decision deadline running when the rejection is replayed after the appeal', async () => {
    const [, rejected, appealed] = history();
    await deliver(rejected!);
    await deliver(appealed!);
    await deliver(rejected!, '2026-11-06T04:00:00.000Z');
    expect(deadlinesOf('appeal_decision').map((d) => d.status)).toEqual(['open']);
  });
});

describe('a calendar change', () => {
  // The shipped calendar's provisional 1 September 2026 (core/calendar.ts) turns out wrong.
  const corrected = {
    ...VN_DEFAULT_CALENDAR,
    holidays: VN_DEFAULT_CALENDAR.holidays.filter((d) => d !== '2026-09-01'),
  };
  const submitted = '2026-08-28T03:00:00.000Z'; // Friday, 10:00 in Hà Nội

  async function tplClaimSubmitted() {
    table.set(ID, { ...table.get(ID)!, productCode: 'MOTOR_TPL', status: 'UNDER_ASSESSMENT' } as Claim);
    await deliver(event('ClaimSubmitted', submitted));
    const [advance] = deadlinesOf('advance_payment');
    // 3 working days with 1 and 2 September off: Mon 31 Aug, Thu 3, Fri 4 Sep.
    expect(advance?.dueAt).toBe('2026-09-04T16:59:59.999Z');
    return advance!;
  }

  it('moves a running working-day deadline to the earlier due date, with its schedules', async () => {
    const planned = await tplClaimSubmitted();
    const oldDue = `c-${ID}-${planned.id}-due`;
    const oldInput = schedules.get(oldDue)!.input;

    calendar.inForce = corrected;
    const now = '2026-08-29T03:00:00.000Z';
    expect(await replanRun(now)).toMatchObject({ outcome: 'done', claims: 1, moved: 1, pages: 1 });

    const [moved] = deadlinesOf('advance_payment');
    expect(moved).toMatchObject({
      id: planned.id,
      status: 'open',
      dueAt: '2026-09-03T16:59:59.999Z',
      replans: 1,
    });
    expect(Date.parse(moved!.atRiskAt)).toBeLessThan(Date.parse(planned.atRiskAt));
    expect(schedules.has(oldDue)).toBe(false);
    expect(schedules.get(`${oldDue}.1`)).toMatchObject({
      at: new Date('2026-09-03T16:59:59.999Z'),
      input: { deadlineId: planned.id, phase: 'due', dueAt: '2026-09-03T16:59:59.999Z' },
    });
    expect(moved!.scheduleNames).toEqual([`c-${ID}-${planned.id}-risk.1`, `${oldDue}.1`]);
    expect(written.at(-1)).toMatchObject({
      type: 'DeadlineScheduled',
      data: { deadlineId: planned.id, previousDueAt: planned.dueAt, reason: 'calendar_changed' },
    });
    // The work queue sorts on the new instant.
    expect(table.get(ID)?.nextDeadline).toBeDefined();

    // Run again (a retried page, or a later change's run): nothing moves twice.
    const before = written.length;
    expect(await replanRun(now)).toMatchObject({ outcome: 'done', claims: 0, moved: 0 });
    expect(written.length).toBe(before);

    // A schedule of the old instant that was not deleted fires: it is not this deadline's any more.
    const stale = await onDeadlineFired(
      {
        ...(oldInput as { claimId: string; kind: string; dueAt: string }),
        phase: 'due',
        scheduledTime: planned.dueAt,
      },
      fixedClock('2026-09-04T17:00:00.000Z'),
    );
    expect(stale).toEqual({ outcome: 'ignored', reason: 'RESCHEDULED' });
  });

  it("never moves the insurer's deadline later", async () => {
    const planned = await tplClaimSubmitted();
    calendar.inForce = { ...VN_DEFAULT_CALENDAR, holidays: [...VN_DEFAULT_CALENDAR.holidays, '2026-08-31'] };
    expect(await replanRun('2026-08-29T03:00:00.000Z')).toMatchObject({
      outcome: 'done',
      claims: 0,
      moved: 0,
    });
    expect(deadlinesOf('advance_payment')[0]?.dueAt).toBe(planned.dueAt);
  });

  describe('run a page at a time', () => {
    const now = '2026-08-29T03:00:00.000Z';
    const OTHER = 'e'.repeat(26);
    const THIRD = 'f'.repeat(26);
    const CLOSED = 'c'.repeat(26);

    /** Motor TPL claims filed under the calendar with 1 September off, in three statuses. */
    async function tplClaims(): Promise<Map<string, string>> {
      const due = new Map<string, string>();
      for (const [claimId, status] of [
        [ID, 'UNDER_ASSESSMENT'],
        [OTHER, 'SUBMITTED'],
        [THIRD, 'UNDER_ASSESSMENT'],
        [CLOSED, 'UNDER_ASSESSMENT'],
      ] as const) {
        table.set(claimId, { ...table.get(ID)!, claimId, productCode: 'MOTOR_TPL', status } as Claim);
        await deliver({ ...event('ClaimSubmitted', submitted), claimId });
        const advance = trackedDeadlines(table.get(claimId)!).find((d) => d.kind === 'advance_payment');
        due.set(claimId, advance!.dueAt);
      }
      // A claim closed since: no longer in any open status's work queue.
      table.set(CLOSED, { ...table.get(CLOSED)!, status: 'CLOSED' } as Claim);
      return due;
    }
    const advanceOf = (claimId: string) =>
      trackedDeadlines(table.get(claimId)!).find((d) => d.kind === 'advance_payment')!;

    it('re-plans every open claim in every open status once, whatever the page size', async () => {
      const was = await tplClaims();
      calendar.inForce = corrected;
      const run = await replanRun(now, { maxClaims: 1 });
      expect(run).toMatchObject({ outcome: 'done', claims: 3, moved: 3 });
      // One claim per page, the cursor carried from one to the next (within a status, then the next).
      expect(run.cursors).toEqual([
        { statusIndex: 0, after: OTHER },
        { statusIndex: 3, after: ID },
        { statusIndex: 3, after: THIRD },
      ]);
      for (const claimId of [ID, OTHER, THIRD]) {
        expect(advanceOf(claimId), claimId).toMatchObject({ dueAt: '2026-09-03T16:59:59.999Z', replans: 1 });
      }
      expect(advanceOf(CLOSED).dueAt).toBe(was.get(CLOSED));
      expect(
        written.filter((e) => e.type === 'DeadlineScheduled' && e.data?.reason === 'calendar_changed'),
      ).toHaveLength(3);
    });

    it('does at least one claim per page when time is short, so a run always moves on', async () => {
      await tplClaims();
      calendar.inForce = corrected;
      const run = await replanRun(now, { hasTime: () => false });
      expect(run).toMatchObject({ outcome: 'done', claims: 3, moved: 3 });
      expect(run.cursors).toHaveLength(3);
    });

    it('stops an older change’s run at its next page once a newer calendar is in force', async () => {
      const was = await tplClaims();
      calendar.inForce = corrected;
      const first = await replanOpenDeadlinesPage(
        1,
        { statusIndex: 0 },
        { maxClaims: 1, hasTime: () => true },
        fixedClock(now),
      );
      expect(first).toMatchObject({ outcome: 'more', claims: 1, moved: 1 });
      // The admin changes the calendar again (version 2): its own run re-plans every claim.
      calendar.version = 2;
      const second = await replanOpenDeadlinesPage(
        1,
        (first as { cursor: { statusIndex: number; after?: string } }).cursor,
        { maxClaims: 1, hasTime: () => true },
        fixedClock(now),
        { claims: 1, moved: 1 },
      );
      expect(second).toEqual({ outcome: 'superseded', inForce: 2, claims: 1, moved: 1 });
      expect(advanceOf(ID).dueAt).toBe(was.get(ID));
      expect(advanceOf(THIRD).dueAt).toBe(was.get(THIRD));
      // The newer run moves what the older one left.
      expect(await replanRun(now)).toMatchObject({ outcome: 'done', claims: 2, moved: 2 });
    });
  });
});

describe('a breach while the notification services are down', () => {
  it('is recorded at once, and escalated from its event once they are back', async () => {
    table.set(ID, { ...table.get(ID)!, productCode: 'MOTOR_TPL' } as Claim);
    await deliver(event('ClaimSubmitted', '2026-12-01T03:00:00.000Z'));
    const [assessment] = deadlinesOf('assessment');
    notices.failing = true;

    const fired = await onDeadlineFired(
      {
        claimId: ID,
        deadlineId: assessment!.id,
        kind: 'assessment',
        phase: 'due',
        dueAt: assessment!.dueAt,
        scheduledTime: assessment!.dueAt,
      },
      fixedClock(assessment!.dueAt),
    );
    expect(fired.outcome).toBe('breached');
    expect(deadlinesOf('assessment')[0]?.status).toBe('breached');
    const recorded = written.find((e) => e.type === 'DeadlineBreached')!;
    expect(recorded.data).toMatchObject({ deadlineId: assessment!.id, breachedAt: assessment!.dueAt });

    // The table stream delivers the breach; while nothing can be sent, the record is reported failed
    // and retried (batchItemFailures), however long the outage lasts.
    const breached = {
      itemIdentifier: 'stream-1',
      event: event('DeadlineBreached', assessment!.dueAt, recorded.data),
    };
    for (const minute of [1, 2, 3, 4, 5])
      expect(
        await reactInClaimOrder(
          [breached],
          fixedClock(new Date(Date.parse(assessment!.dueAt) + minute * 60_000)),
        ),
      ).toEqual(['stream-1']);
    expect(notices.escalated).toEqual([]);

    notices.failing = false;
    expect(await reactInClaimOrder([breached], fixedClock('2026-12-02T04:00:00.000Z'))).toEqual([]);
    expect(notices.escalated).toEqual([{ deadline: `assessment@${assessment!.dueAt}`, level: 'breached' }]);
    expect(deadlinesOf('assessment')[0]?.status).toBe('breached');
  });
});
