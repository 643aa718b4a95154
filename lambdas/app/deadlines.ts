import { claimsByStatus, getClaim } from '../adapters/dynamo/claims-repo.ts';
import { createOneTimeSchedule, deleteSchedule } from '../adapters/schedules.ts';
import { appealRule } from '../core/appeal.ts';
import type { Claim, ClaimDeadline } from '../core/claim.ts';
import type { HolidayCalendar } from '../core/calendar.ts';
import {
  atRiskAt,
  type DeadlineAnchor,
  documentsAllIn,
  INSURER_DEADLINE_KINDS,
  PERIOD_OF,
  planDeadlines,
  replannedDue,
} from '../core/deadlines.ts';
import { type ClaimEvent, type EventType, type NewEvent, SYSTEM } from '../core/events.ts';
import { OPEN_STATUSES } from '../core/lifecycle.ts';
import type { DeadlineRule, ProductConfig } from '../core/products.ts';
import type { Clock } from '../core/time.ts';
import { resumeSignal, type WorkflowSignal } from '../core/workflow-signals.ts';
import { logger } from '../runtime/logger.ts';
import { getClaimWithConfig, mutateClaim } from './claim-store.ts';
import { escalateDeadline, remindCustomer, remindInspection } from './notifications.ts';
import { calendarInForce, loadCalendar, loadProduct } from './products.ts';

/**
 * The deadline engine. Pure planning (due instants, working days, at-risk share) is in
 * core/deadlines.ts; this file turns a plan into EventBridge Scheduler schedules, keeps
 * `claim.deadlines` / `claim.nextDeadline` in step, and reacts when a schedule fires.
 *
 * Every deadline gets up to two one-time schedules: `at_risk` (escalate before it is missed) and
 * `due` (a breach, or for reminders and automatic closure the action itself). Schedules can race
 * with the events that meet a deadline, so every firing re-reads the claim and does nothing for a
 * deadline that is no longer open.
 */

export type DeadlineKind = DeadlineRule['kind'] | 'inspection_reminder';
export type DeadlinePhase = 'at_risk' | 'due';
/** What started a deadline's clock: a product rule's anchor, or an inspection appointment. */
export type DeadlineOrigin = DeadlineAnchor | 'inspection';

/**
 * A deadline as stored on the claim: the core record plus its identity. `id` makes scheduling
 * idempotent (a redelivered stream record plans the same ids) and tells apart two deadlines of the
 * same kind (e.g. the documents reminder after submission and the one after an information request).
 */
export interface TrackedDeadline extends ClaimDeadline {
  id: string;
  kind: DeadlineKind;
  from: DeadlineOrigin;
  /** The instant that started the clock (ISO). */
  anchorAt: string;
  /** When the reminder of a reminder-kind deadline went out. */
  remindedAt?: string;
  /** The appointment an inspection reminder is for. */
  inspectionId?: string;
  metAt?: string;
  /**
   * The `seq` of the claim event that planned it. The stream delivers events once or more, and a
   * batch retried after a failure replays events already handled: an event settles or cancels only
   * deadlines planned before it (see {@link plannedBefore}), so a replayed rejection never cancels
   * the deadlines an appeal planned after it. Absent on records written before it was kept.
   */
  plannedBySeq?: number;
  /** The rule's period as planned (amount and unit): a calendar change re-plans from it. */
  rule?: Pick<DeadlineRule, 'amount' | 'unit'>;
  /** How many times a calendar change moved it; its schedules' names carry the number. */
  replans?: number;
}

/**
 * Whether `d` was planned before the claim event `seq` (the event may then settle or cancel it). A
 * caller with no event (`seq` undefined) and a deadline recorded without one keep the old rule: yes.
 */
export const plannedBefore = (d: Pick<TrackedDeadline, 'plannedBySeq'>, seq: number | undefined): boolean =>
  seq === undefined || d.plannedBySeq === undefined || d.plannedBySeq < seq;

/**
 * Which claim events meet which deadlines. A deadline is met by the first of these events that
 * happens after its clock started.
 * - acknowledgement, guidance: the acknowledgement letter tells the claimant what happens next and
 *   which documents to send (Decree 67/2023 Art. 12 guidance for motor TPL);
 * - assessment: an assessment recorded, or an on-site inspection booked (Decree 67/2023 Art. 12
 *   asks the insurer to start assessing, which an appointment does);
 * - advance_payment: the advance approved (Decree 67/2023 Art. 14), or the money reached the
 *   claimant (the bank confirmed the transfer and the claim is PAID);
 * - payment: the money reached the claimant — the bank confirmed the transfer and the claim is
 *   PAID (Law 08/2022 Art. 31), not when finance queued it;
 * - documents_reminder: every required document is in — the dossier completes, the last document an
 *   information request added is verified, or the customer answers with nothing missing (see
 *   {@link documentsAllIn}: an answer with documents still missing meets nothing);
 * - no_response_close: the customer answered the information request.
 * - appeal_decision: the appeal was decided (`AppealDecided`, written with the decision itself).
 * - inspection_reminder: nothing; it is a reminder that only fires (or is cancelled).
 */
export const MET_BY: Readonly<Record<DeadlineKind, readonly EventType[]>> = {
  acknowledgement: ['AcknowledgementSent'],
  guidance: ['AcknowledgementSent'],
  assessment: ['AssessmentRecorded', 'InspectionScheduled'],
  advance_payment: ['AdvancePaymentApproved', 'ClaimPaid'],
  documents_reminder: ['DossierCompleted', 'DocumentVerified', 'InfoProvided'],
  payment: ['ClaimPaid'],
  no_response_close: ['InfoProvided'],
  inspection_reminder: [],
  // The customer's window is configuration read when they appeal, never scheduled (core/appeal.ts).
  appeal_window: [],
  // Met when the appeal is decided, which core/appeal.ts `settleAppeal` alone says (rejected again,
  // approved, partially approved: `AppealDecided`). A request for approval decides nothing yet: the
  // approver may send it back, and the deadline keeps running.
  appeal_decision: ['AppealDecided'],
};

/** Deadline kinds the given events meet. */
export function kindsMetBy(types: readonly EventType[]): Set<DeadlineKind> {
  const out = new Set<DeadlineKind>();
  for (const [kind, by] of Object.entries(MET_BY) as [DeadlineKind, readonly EventType[]][]) {
    if (by.some((t) => types.includes(t))) out.add(kind);
  }
  return out;
}

/** Reminders only fire when due: warning staff that a reminder is "at risk" would be noise. */
const DUE_ONLY: ReadonlySet<DeadlineKind> = new Set(['documents_reminder', 'inspection_reminder']);
export const phasesOf = (kind: DeadlineKind): DeadlinePhase[] =>
  DUE_ONLY.has(kind) ? ['due'] : ['at_risk', 'due'];

/**
 * Deadlines that are the insurer's work, and so order the work queues (`nextDeadline` feeds the
 * GSI2/GSI3 sort keys). Customer reminders and the automatic no-response closure are not staff
 * work: letting them sort the queue would push claims with real obligations down the list.
 */
const QUEUE_KINDS: ReadonlySet<string> = INSURER_DEADLINE_KINDS;
const ACTIVE: ReadonlySet<ClaimDeadline['status']> = new Set(['open', 'at_risk']);

/** The earliest open or at-risk insurer deadline, or undefined when there is none. */
export function nextDeadlineOf(deadlines: readonly ClaimDeadline[]): Claim['nextDeadline'] {
  let best: ClaimDeadline | undefined;
  for (const d of deadlines) {
    if (!ACTIVE.has(d.status) || !QUEUE_KINDS.has(d.kind)) continue;
    if (!best || Date.parse(d.dueAt) < Date.parse(best.dueAt)) best = d;
  }
  return best && { kind: best.kind, dueAt: best.dueAt };
}

// ---- naming ------------------------------------------------------------------------------------

const KIND_CODE: Readonly<Record<DeadlineKind, string>> = {
  acknowledgement: 'ack',
  guidance: 'guide',
  assessment: 'assess',
  advance_payment: 'advance',
  documents_reminder: 'docs',
  payment: 'pay',
  no_response_close: 'noresp',
  inspection_reminder: 'insp',
  appeal_window: 'appwin',
  appeal_decision: 'appeal',
};
const ORIGIN_CODE: Readonly<Record<DeadlineOrigin, string>> = {
  submitted: 's',
  dossier_complete: 'd',
  info_requested: 'i',
  inspection: 'v',
  rejected: 'r',
  appealed: 'a',
};

/** e.g. `docs-i-m5x3k2ab`: kind, origin and the anchor instant (ms, base 36), unique per claim. */
export function deadlineId(kind: DeadlineKind, from: DeadlineOrigin, anchorAt: Date): string {
  return `${KIND_CODE[kind]}-${ORIGIN_CODE[from]}-${anchorAt.getTime().toString(36)}`;
}

/**
 * Schedule name for one phase of one deadline: `c-<claimId>-<deadlineId>-<risk|due>`, at most
 * 51 characters for 26-character claim ids (Scheduler allows 64 of `[0-9a-zA-Z-_.]`). A deadline a
 * calendar change moved gets new schedules named `….<replans>`: created before the old ones are
 * deleted, so it is never without one.
 */
export function scheduleName(claimId: string, id: string, phase: DeadlinePhase, replans = 0): string {
  const name = `c-${claimId}-${id}-${phase === 'at_risk' ? 'risk' : 'due'}${replans > 0 ? `.${replans}` : ''}`;
  if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(name))
    throw new Error(`Schedule name not allowed by Scheduler: ${name}`);
  return name;
}

/** The deadlines of a claim with their identity (records written before ids existed get one). */
export function trackedDeadlines(c: Pick<Claim, 'deadlines'>): TrackedDeadline[] {
  return (c.deadlines ?? []).map((d) => {
    const t = d as Partial<TrackedDeadline> & ClaimDeadline;
    return {
      ...t,
      id: t.id ?? `${t.kind}-${Date.parse(t.dueAt).toString(36)}`,
      kind: t.kind as DeadlineKind,
      from: t.from ?? 'submitted',
      anchorAt: t.anchorAt ?? t.dueAt,
    };
  });
}

// ---- optimistic locking --------------------------------------------------------------------------

/**
 * `mutateClaim` (which re-applies `change` to the latest claim when it loses a race). `known` is
 * the claim as this invocation read it: the first attempt writes from it, still conditioned on its
 * revision, so a write made meanwhile costs one failed write and a re-read, never a lost change.
 */
const mutate = (claimId: string, clock: Clock, change: Parameters<typeof mutateClaim>[2], known?: Claim) =>
  mutateClaim(claimId, clock, change, undefined, known);

function withDeadlines(c: Claim, deadlines: TrackedDeadline[]): Claim {
  const next: Claim = { ...c, deadlines };
  const nd = nextDeadlineOf(deadlines);
  if (nd) next.nextDeadline = nd;
  else delete next.nextDeadline;
  return next;
}

// ---- scheduling ----------------------------------------------------------------------------------

/** A due phase whose instant already passed still fires (soon) so the breach is recorded. */
const LATE_DUE_DELAY_MS = 5_000;

interface PlannedTracked {
  deadline: TrackedDeadline;
  phases: { phase: DeadlinePhase; at: Date }[];
}

function schedulePhases(claimId: string, d: TrackedDeadline, now: Date): PlannedTracked {
  const phases: { phase: DeadlinePhase; at: Date }[] = [];
  for (const phase of phasesOf(d.kind)) {
    if (phase === 'at_risk' && d.status === 'at_risk') continue; // warned already
    const at = new Date(phase === 'due' ? d.dueAt : d.atRiskAt);
    if (at.getTime() > now.getTime()) phases.push({ phase, at });
    else if (phase === 'due') phases.push({ phase, at: new Date(now.getTime() + LATE_DUE_DELAY_MS) });
    // An at-risk instant already in the past is skipped: the due phase still escalates.
  }
  return {
    deadline: {
      ...d,
      scheduleNames: phases.map((p) => scheduleName(claimId, d.id, p.phase, d.replans)),
    },
    phases,
  };
}

/** Creates the schedules of `planned` (one that exists already counts as created). */
async function createSchedules(claimId: string, planned: readonly PlannedTracked[]): Promise<void> {
  for (const { deadline, phases } of planned) {
    for (const p of phases) {
      await createOneTimeSchedule({
        name: scheduleName(claimId, deadline.id, p.phase, deadline.replans),
        at: p.at,
        input: {
          claimId,
          deadlineId: deadline.id,
          kind: deadline.kind,
          phase: p.phase,
          dueAt: deadline.dueAt,
        },
      });
    }
  }
}

/**
 * The `DeadlineScheduled` event that records a deadline planned (or, with `moved`, planned again:
 * the instant it replaces and why). The one place its data is shaped.
 */
function scheduledEvent(
  d: TrackedDeadline,
  moved?: { previousDueAt: string; reason: 'calendar_changed' },
): NewEvent {
  return {
    type: 'DeadlineScheduled',
    actor: SYSTEM,
    data: {
      deadlineId: d.id,
      kind: d.kind,
      dueAt: d.dueAt,
      atRiskAt: d.atRiskAt,
      basis: d.basis,
      from: d.from,
      ...moved,
    },
  };
}

/** Creates the schedules first, then records the deadlines (a retry finds the schedules in place). */
async function trackDeadlines(
  claimId: string,
  planned: TrackedDeadline[],
  clock: Clock,
  known?: Claim,
  /** The claim event that planned them (its `seq`). */
  seq?: number,
): Promise<TrackedDeadline[]> {
  const now = clock.now();
  const withPhases = planned.map((d) =>
    schedulePhases(claimId, seq === undefined ? d : { ...d, plannedBySeq: seq }, now),
  );
  await createSchedules(claimId, withPhases);
  let added: TrackedDeadline[] = [];
  await mutate(
    claimId,
    clock,
    (c) => {
      const existing = new Set(trackedDeadlines(c).map((d) => d.id));
      added = withPhases.map((p) => p.deadline).filter((d) => !existing.has(d.id));
      if (added.length === 0) return null;
      return {
        claim: withDeadlines(c, [...trackedDeadlines(c), ...added]),
        events: added.map((d) => scheduledEvent(d)),
      };
    },
    known,
  );
  return added;
}

/**
 * Plans the product's deadline rules that start at `anchor` (at instant `at`), schedules their
 * phases and records them on the claim with a `DeadlineScheduled` event each. Idempotent: the same
 * anchor instant plans the same deadline ids, which are skipped once recorded.
 */
export async function scheduleDeadlines(
  claimId: string,
  anchor: DeadlineAnchor,
  at: Date,
  clock: Clock,
  /** The claim event that started the clock (its `seq`). */
  seq?: number,
): Promise<TrackedDeadline[]> {
  // The claim and the configuration (product rules, calendar) in one read.
  const claim = await getClaimWithConfig(claimId);
  if (!claim) return [];
  const [product, calendar] = await Promise.all([loadProduct(claim.productCode), loadCalendar()]);
  if (!product) return []; // an unknown product was referred by the intake checks; no rules to follow
  // An appeal's deadline is the product's `appeal_decision` rule, or the default (core/appeal.ts).
  const rules =
    anchor === 'appealed'
      ? [appealRule(product, 'appeal_decision')]
      : product.deadlines.filter((r) => r.from === anchor);
  return planAndTrack(claim, rules, anchor, at, calendar, clock, '', seq);
}

/**
 * An appeal overturned a rejection: the payment deadline the complete dossier started, which the
 * rejection cancelled, runs again, due when it always was. The insurer owed the payment from the
 * complete dossier (Law 08/2022 Art. 31), and a rejection it then reversed does not move that: a due
 * instant already past is recorded breached within seconds (and escalated), and late interest runs
 * from it. Its id is the original's marked `-a`, so a redelivered event plans nothing twice; nothing
 * is planned while a payment deadline is still open, or when the dossier was never complete.
 */
export async function reinstatePaymentDeadline(
  claimId: string,
  clock: Clock,
  /** The `AppealDecided` event's `seq`. */
  seq?: number,
): Promise<TrackedDeadline[]> {
  const claim = await getClaimWithConfig(claimId);
  if (!claim?.dossierCompleteAt) return [];
  const tracked = trackedDeadlines(claim);
  // Still running (open, at risk, or breached: a rejection cancels only what is not yet due), or met.
  if (tracked.some((d) => d.kind === 'payment' && d.status !== 'cancelled')) return [];
  // The deadline the rejection cancelled, as it was planned: a rule changed since moves nothing.
  const cancelled = tracked.filter((d) => d.kind === 'payment' && d.status === 'cancelled').at(-1);
  if (cancelled) {
    const id = `${cancelled.id.replace(/-a$/, '')}-a`;
    if (tracked.some((d) => d.id === id)) return [];
    const { metAt: _met, remindedAt: _reminded, plannedBySeq: _by, ...plan } = cancelled;
    return trackDeadlines(
      claim.claimId,
      [{ ...plan, id, status: 'open', scheduleNames: [] }],
      clock,
      claim,
      seq,
    );
  }
  // Never planned (a product without the rule then): the rule in force now.
  const [product, calendar] = await Promise.all([loadProduct(claim.productCode), loadCalendar()]);
  if (!product) return [];
  const rules = product.deadlines.filter((r) => r.from === 'dossier_complete' && r.kind === 'payment');
  return planAndTrack(
    claim,
    rules,
    'dossier_complete',
    new Date(claim.dossierCompleteAt),
    calendar,
    clock,
    '-a',
    seq,
  );
}

/** Plans `rules` from `anchor` at `at`, leaves out the ids the claim already tracks, and tracks the rest. */
function planAndTrack(
  claim: Claim,
  rules: DeadlineRule[],
  anchor: DeadlineAnchor,
  at: Date,
  calendar: HolidayCalendar,
  clock: Clock,
  idSuffix = '',
  seq?: number,
): Promise<TrackedDeadline[]> {
  const existing = new Set(trackedDeadlines(claim).map((d) => d.id));
  const planned = planDeadlines({ deadlines: rules }, { [anchor]: at }, calendar)
    .map(
      (p): TrackedDeadline => ({
        id: `${deadlineId(p.kind, anchor, at)}${idSuffix}`,
        kind: p.kind,
        from: anchor,
        anchorAt: at.toISOString(),
        dueAt: p.dueAt,
        atRiskAt: p.atRiskAt,
        basis: p.basis,
        rule: p.rule,
        status: 'open',
        scheduleNames: [],
      }),
    )
    .filter((d) => !existing.has(d.id));
  if (planned.length === 0) return Promise.resolve([]);
  // Written from the claim read above, still conditioned on its revision: a write made meanwhile
  // (the workflow's, on a later anchor) costs a retried write, never a lost change.
  return trackDeadlines(claim.claimId, planned, clock, claim, seq);
}

/** A reminder to the customer and the assignee 24 hours before an inspection appointment. */
export const INSPECTION_REMINDER_LEAD_MS = 24 * 3_600_000;

/**
 * Schedules the reminder for an inspection appointment and cancels reminders of earlier
 * appointments (a rescheduled inspection replaces the old time). No reminder when the
 * appointment is less than 24 hours away: the invitation itself is recent enough.
 */
export async function scheduleInspectionReminder(
  claimId: string,
  appointmentAt: Date,
  clock: Clock,
  /** The appointment (`InspectionScheduled`'s `inspectionId`): each proposal its own reminder. */
  inspectionId?: string,
  /** The `InspectionScheduled` event's `seq`. */
  seq?: number,
): Promise<TrackedDeadline | undefined> {
  const claim = await getClaim(claimId);
  if (!claim) return undefined;
  // A redelivered event about an earlier proposal changes nothing: only the appointment standing now
  // (the latest proposed or confirmed) is reminded of, and it is never cancelled for an older one.
  const standing = claim.inspections
    ?.filter((i) => i.status === 'proposed' || i.status === 'confirmed')
    .at(-1);
  if (inspectionId && standing?.inspectionId !== inspectionId) return undefined;
  // Named after the appointment, not its time: moved to another time and back again, the new
  // proposal still gets its reminder.
  const id = inspectionId
    ? `insp-v-${inspectionId.replace(/-/g, '').slice(0, 16)}`
    : deadlineId('inspection_reminder', 'inspection', appointmentAt);
  const stale = trackedDeadlines(claim).filter(
    (d) => d.kind === 'inspection_reminder' && d.id !== id && ACTIVE.has(d.status),
  );
  if (stale.length > 0)
    await cancelDeadlines(
      claimId,
      stale.map((d) => d.id),
      'inspection_rescheduled',
      clock,
      seq,
    );
  const remindAt = new Date(appointmentAt.getTime() - INSPECTION_REMINDER_LEAD_MS);
  if (remindAt.getTime() <= clock.now().getTime()) return undefined;
  if (trackedDeadlines(claim).some((d) => d.id === id)) return undefined;
  const [added] = await trackDeadlines(
    claimId,
    [
      {
        id,
        kind: 'inspection_reminder',
        from: 'inspection',
        anchorAt: appointmentAt.toISOString(),
        dueAt: remindAt.toISOString(),
        atRiskAt: remindAt.toISOString(),
        basis: 'Service standard: reminder 24 hours before the inspection',
        status: 'open',
        scheduleNames: [],
        ...(inspectionId ? { inspectionId } : {}),
      },
    ],
    clock,
    undefined,
    seq,
  );
  return added;
}

// ---- calendar changes ----------------------------------------------------------------------------

/** The rule a running deadline was planned with; for one recorded before rules were kept, the product's. */
function ruleOf(
  d: TrackedDeadline,
  product: ProductConfig | undefined,
): Pick<DeadlineRule, 'amount' | 'unit'> | undefined {
  if (d.rule) return d.rule;
  if (d.from === 'appealed' && d.kind === 'appeal_decision') return appealRule(product, 'appeal_decision');
  return product?.deadlines.find((r) => r.kind === d.kind && r.from === d.from);
}

/**
 * Re-plans the claim's running deadlines whose due instant depends on the calendar
 * (core/deadlines.ts `replannedDue`: the insurer's only earlier, the customer's only later) and
 * moves their schedules: the new ones are created first, the deadlines recorded (a
 * `DeadlineScheduled` event each, with the instant it replaces), then the old schedules deleted.
 * A firing of an old schedule that was not deleted finds the due instant changed and does nothing.
 * Idempotent: planned again under the same calendar, nothing moves.
 */
export async function replanDeadlines(
  claim: Claim,
  calendar: HolidayCalendar,
  clock: Clock,
): Promise<TrackedDeadline[]> {
  const running = trackedDeadlines(claim).filter((d) => ACTIVE.has(d.status) && d.kind in PERIOD_OF);
  if (running.length === 0) return [];
  const product = await loadProduct(claim.productCode);
  const now = clock.now();
  const moves: { was: TrackedDeadline; next: PlannedTracked }[] = [];
  for (const d of running) {
    const rule = ruleOf(d, product);
    const kind = d.kind as DeadlineRule['kind'];
    const due = rule && replannedDue({ kind, anchorAt: d.anchorAt, dueAt: d.dueAt }, rule, calendar);
    if (!due) continue;
    const risk = atRiskAt(new Date(d.anchorAt), new Date(due)).toISOString();
    const moved: TrackedDeadline = { ...d, dueAt: due, atRiskAt: risk, replans: (d.replans ?? 0) + 1 };
    moves.push({ was: d, next: schedulePhases(claim.claimId, moved, now) });
  }
  if (moves.length === 0) return [];
  await createSchedules(
    claim.claimId,
    moves.map((m) => m.next),
  );
  let done: typeof moves = [];
  await mutate(
    claim.claimId,
    clock,
    (c) => {
      const all = trackedDeadlines(c);
      // Only what is still running as it was read: a deadline met or moved meanwhile stays as it is.
      done = moves.filter((m) =>
        all.some((d) => d.id === m.was.id && ACTIVE.has(d.status) && d.dueAt === m.was.dueAt),
      );
      if (done.length === 0) return null;
      const byId = new Map(done.map((m) => [m.was.id, m.next.deadline]));
      return {
        claim: withDeadlines(
          c,
          all.map((d) => {
            const next = byId.get(d.id);
            if (!next) return d;
            const { dueAt, atRiskAt: risk, replans, scheduleNames } = next;
            return { ...d, dueAt, atRiskAt: risk, replans, scheduleNames };
          }),
        ),
        events: done.map(({ was, next: { deadline } }) =>
          scheduledEvent(deadline, { previousDueAt: was.dueAt, reason: 'calendar_changed' }),
        ),
      };
    },
    claim,
  );
  await deleteSchedulesOf(done.map((m) => m.was));
  return done.map((m) => m.next.deadline);
}

/** Claims read per query while re-planning after a calendar change. */
const REPLAN_QUERY = 100;

/**
 * Where a re-planning run stands: the open status it is reading (an index into OPEN_STATUSES) and
 * the work-queue sort key of the last claim it re-planned there (none: from the status's start).
 */
export interface ReplanCursor {
  statusIndex: number;
  after?: string;
}

/** One page's outcome, with the run's totals so far. */
export type ReplanPage =
  | { outcome: 'more'; cursor: ReplanCursor; claims: number; moved: number }
  | { outcome: 'done'; claims: number; moved: number }
  /** A newer calendar is in force: its own run re-plans every claim, this one stops. */
  | { outcome: 'superseded'; inForce: number; claims: number; moved: number };

/**
 * One page of the re-planning after a holiday calendar change (the deadline-replan state machine,
 * started for the `CalendarChanged` event): from `cursor`, every open claim's running deadlines
 * planned again under the calendar in force, read past the configuration cache, until `maxClaims`
 * claims are done or `hasTime` says stop (at least one claim per page, so a run always moves on).
 * Claims are read status by status from the work-queue index (`claimsByStatus`): one read per open
 * claim, once per calendar change (a few a year).
 *
 * `calendarVersion` is the change this run is for. A newer version in force ends the run as
 * superseded (that change's run re-plans everything), so an older run does not keep moving
 * deadlines back under its calendar; each page reads the calendar again, so a page started before
 * the newer change is the most an older run can still do. Re-planning is idempotent: a retried page,
 * or claims a newer run already moved, move nothing twice. A claim moved to an earlier deadline
 * sorts before the cursor and is not read again; one moved later may be, and then moves nothing.
 */
export async function replanOpenDeadlinesPage(
  calendarVersion: number,
  cursor: ReplanCursor,
  limits: { maxClaims: number; hasTime: () => boolean },
  clock: Clock,
  totals: { claims: number; moved: number } = { claims: 0, moved: 0 },
): Promise<ReplanPage> {
  const { calendar, version } = await calendarInForce();
  let { claims, moved } = totals;
  if (version > calendarVersion) {
    logger.info('deadline re-planning superseded by a newer calendar', { calendarVersion, inForce: version });
    return { outcome: 'superseded', inForce: version, claims, moved };
  }
  let { statusIndex, after } = cursor;
  let read = 0;
  const stop = () => read >= limits.maxClaims || (read > 0 && !limits.hasTime());
  for (;;) {
    const status = OPEN_STATUSES[statusIndex];
    if (status === undefined) break;
    const page = await claimsByStatus(status, after, Math.min(REPLAN_QUERY, limits.maxClaims - read));
    for (const { sortKey, item } of page.items) {
      const changed = await replanDeadlines(item, calendar, clock);
      claims += changed.length > 0 ? 1 : 0;
      moved += changed.length;
      after = sortKey;
      read++;
      if (stop())
        return { outcome: 'more', cursor: { statusIndex, ...(after ? { after } : {}) }, claims, moved };
    }
    if (page.next) after = page.next;
    else {
      statusIndex++;
      after = undefined;
    }
    if (OPEN_STATUSES[statusIndex] !== undefined && stop())
      return { outcome: 'more', cursor: { statusIndex, ...(after ? { after } : {}) }, claims, moved };
  }
  logger.info('deadlines re-planned for the calendar in force', { calendarVersion: version, claims, moved });
  return { outcome: 'done', claims, moved };
}

// ---- settling and cancelling -------------------------------------------------------------------

/**
 * Marks the deadlines that `eventTypes` meet (see {@link MET_BY}) as met, with a `DeadlineMet`
 * event each, and deletes their schedules. `at` is when the events happened (default: now);
 * deadlines whose clock started after that, or that a later event planned (`seq`, see
 * {@link plannedBefore}), are not touched (a redelivered old event must not meet a newer deadline). A deadline already breached can still be met, late. `data` is the event's
 * data: the documents reminder is met only when it says every required document was in.
 */
export async function settleDeadlines(
  claimId: string,
  eventTypes: readonly EventType[],
  clock: Clock,
  at?: Date,
  data?: Record<string, unknown>,
  /** The event's `seq`. */
  seq?: number,
): Promise<TrackedDeadline[]> {
  const kinds = kindsMetBy(eventTypes);
  if (kinds.size === 0) return [];
  const metAt = at ?? clock.now();
  let met: TrackedDeadline[] = [];
  await mutate(claimId, clock, (c) => {
    const all = trackedDeadlines(c);
    const allIn = eventTypes
      .filter((type) => MET_BY.documents_reminder.includes(type))
      .some((type) => documentsAllIn({ type, data }, c));
    met = all.filter(
      (d) =>
        kinds.has(d.kind) &&
        (d.kind !== 'documents_reminder' || allIn) &&
        (ACTIVE.has(d.status) || d.status === 'breached') &&
        Date.parse(d.anchorAt) <= metAt.getTime() &&
        plannedBefore(d, seq),
    );
    if (met.length === 0) return null;
    const ids = new Set(met.map((d) => d.id));
    const by = eventTypes.filter((t) => met.some((d) => MET_BY[d.kind].includes(t)));
    return {
      claim: withDeadlines(
        c,
        all.map((d) => (ids.has(d.id) ? { ...d, status: 'met', metAt: metAt.toISOString() } : d)),
      ),
      events: met.map(
        (d): NewEvent => ({
          type: 'DeadlineMet',
          actor: SYSTEM,
          data: {
            deadlineId: d.id,
            kind: d.kind,
            dueAt: d.dueAt,
            metAt: metAt.toISOString(),
            late: metAt.getTime() > Date.parse(d.dueAt),
            by: by.find((t) => MET_BY[d.kind].includes(t)),
          },
        }),
      ),
    };
  });
  await deleteSchedulesOf(met);
  return met;
}

/**
 * Cancels the given open deadlines (or all of them) that the claim event `seq` may cancel (those
 * planned before it: a replayed event leaves later ones alone, {@link plannedBefore}), deleting
 * their schedules.
 */
async function cancelDeadlines(
  claimId: string,
  ids: readonly string[] | 'all',
  reason: string,
  clock: Clock,
  seq: number | undefined,
): Promise<TrackedDeadline[]> {
  let cancelled: TrackedDeadline[] = [];
  await mutate(claimId, clock, (c) => {
    const all = trackedDeadlines(c);
    cancelled = all.filter(
      (d) => ACTIVE.has(d.status) && (ids === 'all' || ids.includes(d.id)) && plannedBefore(d, seq),
    );
    if (cancelled.length === 0) return null;
    const gone = new Set(cancelled.map((d) => d.id));
    return {
      claim: withDeadlines(
        c,
        all.map((d) => (gone.has(d.id) ? { ...d, status: 'cancelled' } : d)),
      ),
      events: cancelled.map(
        (d): NewEvent => ({
          type: 'DeadlineCancelled',
          actor: SYSTEM,
          data: { deadlineId: d.id, kind: d.kind, dueAt: d.dueAt, reason },
        }),
      ),
    };
  });
  await deleteSchedulesOf(cancelled);
  return cancelled;
}

/**
 * Every open deadline no longer applies (the claim was rejected, closed or paid): cancelled with
 * a `DeadlineCancelled` event each, schedules deleted. Breached and met deadlines stay as they are.
 */
export function cancelAllDeadlines(
  claimId: string,
  reason: string,
  clock: Clock,
  /** The `seq` of the event that ends them: deadlines planned after it stay. */
  seq?: number,
): Promise<TrackedDeadline[]> {
  return cancelDeadlines(claimId, 'all', reason, clock, seq);
}

/** Cancels every open deadline except those of `keep` (the payment deadlines while a payment is on its way). */
export async function cancelDeadlinesExcept(
  claimId: string,
  keep: readonly DeadlineKind[],
  reason: string,
  clock: Clock,
  /** The `seq` of the event that ends them: deadlines planned after it stay. */
  seq?: number,
): Promise<TrackedDeadline[]> {
  const claim = await getClaim(claimId);
  if (!claim) return [];
  const ids = trackedDeadlines(claim)
    .filter((d) => !keep.includes(d.kind))
    .map((d) => d.id);
  return ids.length > 0 ? cancelDeadlines(claimId, ids, reason, clock, seq) : [];
}

/**
 * Deletes after the claim is saved: if this fails, a schedule that still fires finds its
 * deadline closed and does nothing, then deletes itself (ActionAfterCompletion = DELETE).
 */
async function deleteSchedulesOf(deadlines: readonly TrackedDeadline[]): Promise<void> {
  const names = deadlines.flatMap((d) => d.scheduleNames);
  const results = await Promise.allSettled(names.map((n) => deleteSchedule(n)));
  results.forEach((r, i) => {
    if (r.status === 'rejected')
      logger.warn('schedule not deleted', { schedule: names[i], error: r.reason as Error });
  });
}

// ---- firing --------------------------------------------------------------------------------------

export interface DeadlineFiredInput {
  claimId: string;
  kind: string;
  phase: DeadlinePhase;
  dueAt: string;
  /** When the schedule was due; the caller's clock is set to it. */
  scheduledTime: string;
  deadlineId?: string;
}

export interface DeadlineFiredResult {
  outcome: 'ignored' | 'at_risk' | 'breached' | 'reminded' | 'closing' | 'warned';
  reason?: string;
  notified?: number;
}

const findDeadline = (c: Claim, input: DeadlineFiredInput) =>
  trackedDeadlines(c).find((d) =>
    input.deadlineId ? d.id === input.deadlineId : d.kind === input.kind && d.dueAt === input.dueAt,
  );

/**
 * Records a phase change of one deadline if it is still in `expected` status (another firing or a
 * settling event may have got there first: then nothing is recorded and false is returned).
 */
async function recordPhase(
  claimId: string,
  id: string,
  expected: ReadonlySet<ClaimDeadline['status']>,
  update: Partial<TrackedDeadline>,
  event: NewEvent,
  clock: Clock,
  /**
   * What else the same write does to the claim, e.g. hand its wait token back to the workflow; `null`
   * when the claim as it now is no longer allows it: nothing is written.
   */
  also?: (c: Claim) => { claim: Claim; signals: WorkflowSignal[] } | null,
): Promise<boolean> {
  let recorded = false;
  await mutate(claimId, clock, (c) => {
    recorded = false;
    const all = trackedDeadlines(c);
    const d = all.find((x) => x.id === id);
    if (!d || !expected.has(d.status)) return null;
    const extra = also?.(c);
    if (extra === null) return null;
    recorded = true;
    return {
      claim: withDeadlines(
        extra?.claim ?? c,
        all.map((x) => (x.id === id ? { ...x, ...update } : x)),
      ),
      events: [event],
      signals: extra?.signals,
    };
  });
  return recorded;
}

/**
 * A deadline schedule fired. Re-reads the claim: a deadline no longer open is left alone (schedules
 * race with the events that meet them). Warnings and reminders go out before the claim is updated,
 * so a failure is retried by Scheduler rather than lost; a duplicate is possible, a silent miss is
 * not. A breach is recorded first, whatever the notification services do: its escalation rides on
 * the `DeadlineBreached` event, delivered from the table stream with retries ({@link escalateBreach}).
 *
 * - `at_risk`: the deadline turns at risk and the assignee is warned (supervisors only when nobody
 *   else can act, see `escalationAudience`); for the no-response closure, the customer is warned;
 * - `due` of `documents_reminder` / `inspection_reminder`: a reminder, not a breach;
 * - `due` of `no_response_close`: the workflow waiting for the customer's answer is resumed with
 *   `no_response` and closes the claim (the deadline is `closed`, never `met`); if it is not
 *   waiting, a person must act: breach;
 * - any other `due`: breached; the stream then escalates it to the assignee, the supervisors and
 *   the claims department.
 */
export async function onDeadlineFired(
  input: DeadlineFiredInput,
  clock: Clock,
  /** Set when the claim changed under a closure this invocation began: judged once more, as it now is. */
  again = false,
): Promise<DeadlineFiredResult> {
  const claim = await getClaim(input.claimId);
  if (!claim) return { outcome: 'ignored', reason: 'CLAIM_NOT_FOUND' };
  const d = findDeadline(claim, input);
  if (!d || !ACTIVE.has(d.status))
    return { outcome: 'ignored', reason: d ? `DEADLINE_${d.status.toUpperCase()}` : 'NO_SUCH_DEADLINE' };
  // A schedule of a due instant a calendar change has since moved (its delete failed): not this one.
  if (Date.parse(input.dueAt) !== Date.parse(d.dueAt)) return { outcome: 'ignored', reason: 'RESCHEDULED' };
  const now = clock.now().toISOString();
  const base = { deadlineId: d.id, kind: d.kind, dueAt: d.dueAt, basis: d.basis };

  if (input.phase === 'at_risk') {
    if (d.status !== 'open') return { outcome: 'ignored', reason: 'ALREADY_AT_RISK' };
    if (d.kind === 'no_response_close') {
      const sent = await remindCustomer(claim, d, 'closure_warning');
      if (sent.sent === 0 && sent.failed === 0) return { outcome: 'ignored', reason: 'NOTHING_TO_REMIND' };
      await recordPhase(
        claim.claimId,
        d.id,
        new Set(['open']),
        { status: 'at_risk', remindedAt: now },
        {
          type: 'ReminderSent',
          actor: SYSTEM,
          data: { ...base, reminder: 'closure_warning', channels: sent.channels },
        },
        clock,
      );
      return { outcome: 'warned', notified: sent.sent };
    }
    const sent = await escalateDeadline(claim, d, 'at_risk');
    await recordPhase(
      claim.claimId,
      d.id,
      new Set(['open']),
      { status: 'at_risk' },
      { type: 'DeadlineAtRisk', actor: SYSTEM, data: { ...base, atRiskAt: d.atRiskAt, notified: sent.sent } },
      clock,
    );
    return { outcome: 'at_risk', notified: sent.sent };
  }

  switch (d.kind) {
    case 'documents_reminder':
    case 'inspection_reminder': {
      if (d.remindedAt) return { outcome: 'ignored', reason: 'ALREADY_REMINDED' };
      const sent =
        d.kind === 'inspection_reminder'
          ? await remindInspection(claim, d)
          : await remindCustomer(claim, d, 'documents_reminder');
      // Nothing left to remind of (documents in, request answered, inspection cancelled): the
      // event that settles the deadline is on its way.
      if (sent.sent === 0 && sent.failed === 0) return { outcome: 'ignored', reason: 'NOTHING_TO_REMIND' };
      // The inspection reminder is all that deadline is for; a documents reminder stays open until
      // the documents arrive (DossierCompleted / InfoProvided meet it, late).
      const update: Partial<TrackedDeadline> =
        d.kind === 'inspection_reminder'
          ? { status: 'met', remindedAt: now, metAt: now }
          : { remindedAt: now };
      await recordPhase(
        claim.claimId,
        d.id,
        ACTIVE,
        update,
        { type: 'ReminderSent', actor: SYSTEM, data: { ...base, reminder: d.kind, channels: sent.channels } },
        clock,
      );
      if (d.kind === 'inspection_reminder') await deleteSchedulesOf([d]);
      return { outcome: 'reminded', notified: sent.sent };
    }
    case 'no_response_close': {
      if (!claim.infoRequests?.some((r) => r.status === 'open'))
        return { outcome: 'ignored', reason: 'ANSWERED' };
      if (claim.status === 'INFO_REQUESTED' && claim.waitingFor === 'information' && claim.waitToken) {
        // The closure is owed to the workflow in the same write that records the deadline.
        // Not `met`: nobody answered. The time ran out and the claim is being closed for it.
        const closing = await recordPhase(
          claim.claimId,
          d.id,
          ACTIVE,
          { status: 'closed' },
          {
            type: 'DeadlineCancelled',
            actor: SYSTEM,
            data: { ...base, reason: 'closed_no_response', action: 'close_no_response', closedAt: now },
          },
          clock,
          // The customer may have answered since the claim was read: then nothing is closed, and the
          // claim as it now is decides (answered, or a person has to look at it).
          (c) =>
            c.waitingFor === 'information' && c.waitToken
              ? {
                  claim: { ...c, waitToken: undefined, waitingFor: undefined },
                  signals: [resumeSignal(c.waitToken, { action: 'no_response' })],
                }
              : null,
        );
        if (!closing)
          return again
            ? { outcome: 'ignored', reason: 'CLAIM_CHANGED' }
            : onDeadlineFired(input, clock, true);
        await deleteSchedulesOf([d]); // a late delivery may find its at-risk schedule still waiting
        return { outcome: 'closing' };
      }
      break; // not waiting for the answer: a person has to look at it
    }
    default:
      break;
  }
  // The breach is a fact whether or not anyone can be told of it now: recorded first, its
  // escalation owed by the event itself (escalateBreach, from the table stream).
  await recordPhase(
    claim.claimId,
    d.id,
    ACTIVE,
    { status: 'breached' },
    { type: 'DeadlineBreached', actor: SYSTEM, data: { ...base, breachedAt: now } },
    clock,
  );
  await deleteSchedulesOf([d]);
  return { outcome: 'breached' };
}

/**
 * A recorded breach (`DeadlineBreached`, delivered from the table stream) is escalated to the
 * assignee, the supervisors and the claims department, as the claim now stands. When a recipient
 * could not be reached and a retry may help, notifications.ts throws (TransientDependencyError) and
 * the stream retries the event; each recipient hears once however often it is delivered (`sendOnce`, keyed by
 * the deadline and the level). The breach itself was recorded before, so an outage of the
 * notification services delays the notice and never loses the breach.
 */
export async function escalateBreach(event: Pick<ClaimEvent, 'claimId' | 'data'>): Promise<void> {
  const claim = await getClaim(event.claimId);
  const id = event.data?.deadlineId;
  const d = claim && trackedDeadlines(claim).find((x) => x.id === id);
  if (!claim || !d) return;
  await escalateDeadline(claim, d, 'breached');
}
