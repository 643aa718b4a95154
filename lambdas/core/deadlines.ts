import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { addWorkingDays, type HolidayCalendar, isWorkingDay, VN_DEFAULT_CALENDAR } from './calendar.ts';
import { DomainError } from './errors.ts';
import { type Money, vnd } from './money.ts';
import type { DeadlineRule, ProductConfig } from './products.ts';
import { addCalendarDays, businessDate, daysBetween, startOfBusinessDay } from './time.ts';

/**
 * Due instants for the product's deadline rules. Days are Vietnamese business dates
 * (Asia/Ho_Chi_Minh). Following Civil Code 91/2015/QH13 Art. 147, a period counted in days starts
 * on the day AFTER the event that triggers it and ends at the end of its last day.
 *
 * Civil Code Art. 148(5) pushes a period whose last day is a weekend or holiday to the end of the
 * next working day. Whose period it is decides whether we apply it ({@link PERIOD_OF}):
 * - the customer's (the time they have to appeal, or to answer before the claim lapses): extended,
 *   so nobody loses a right on a day the insurer's offices are shut;
 * - the insurer's (what staff owe by law or service standard): NOT extended. The internal due date
 *   stays the earlier, conservative one, so staff act before the legal limit, never after it.
 */

const HOUR_MS = 3_600_000;

/** Whose period a deadline rule is: the insurer's obligation, or the customer's time to act. */
export type PeriodHolder = 'insurer' | 'customer';

/**
 * Whose period each rule kind is, said once: {@link dueAt} extends the customer's (Art. 148), and a
 * calendar change never moves the insurer's later nor the customer's earlier ({@link replannedDue}).
 * The documents reminder is the insurer's own act (it goes out on the day planned, not later).
 */
export const PERIOD_OF: Readonly<Record<DeadlineRule['kind'], PeriodHolder>> = {
  acknowledgement: 'insurer',
  guidance: 'insurer',
  assessment: 'insurer',
  advance_payment: 'insurer',
  payment: 'insurer',
  appeal_decision: 'insurer',
  documents_reminder: 'insurer',
  appeal_window: 'customer',
  no_response_close: 'customer',
};

/** The last millisecond of a Vietnamese business date, e.g. 2026-03-17 → 2026-03-17T23:59:59.999+07:00. */
function endOfBusinessDay(date: string): Date {
  return new Date(startOfBusinessDay(addCalendarDays(date, 1)).getTime() - 1);
}

/**
 * When a rule falls due for a clock started at `start`:
 * - `hours`: `start` + N hours, to the millisecond;
 * - `calendar_days`: the end (23:59:59.999 +07:00) of the Nth calendar day after the start date;
 *   for the customer's period ({@link PERIOD_OF}) a last day that is not a working day per `cal`
 *   moves to the next working day (Civil Code Art. 148(5));
 * - `working_days`: the end of the Nth working day after the start date, per `cal`.
 */
export function dueAt(
  rule: Pick<DeadlineRule, 'kind' | 'amount' | 'unit'>,
  start: Date,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
): Date {
  switch (rule.unit) {
    case 'hours':
      return new Date(start.getTime() + rule.amount * HOUR_MS);
    case 'calendar_days': {
      const last = addCalendarDays(businessDate(start), rule.amount);
      const extend = PERIOD_OF[rule.kind] === 'customer' && !isWorkingDay(last, cal);
      return endOfBusinessDay(extend ? addWorkingDays(last, 1, cal) : last);
    }
    case 'working_days':
      return endOfBusinessDay(addWorkingDays(businessDate(start), rule.amount, cal));
  }
}

/**
 * When a deadline becomes "at risk": at a share of the way from start to due (`share`, default 80%),
 * or a fixed lead time before it (`lead`, clamped so it is never before the start).
 */
export const AtRiskPolicy = /* @__PURE__ */ defineSchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('share'), bps: z.int().check(z.gte(0), z.lte(10_000)) }),
    z.strictObject({ kind: z.literal('lead'), ms: z.int().check(z.gte(0)) }),
  ]),
);
export type AtRiskPolicy = z.infer<typeof AtRiskPolicy>;

export const DEFAULT_AT_RISK: AtRiskPolicy = { kind: 'share', bps: 8_000 };

/** The instant a deadline running from `start` to `due` turns at risk. */
export function atRiskAt(start: Date, due: Date, policy: AtRiskPolicy = DEFAULT_AT_RISK): Date {
  const span = Math.max(0, due.getTime() - start.getTime());
  if (policy.kind === 'share') return new Date(start.getTime() + Math.floor((span * policy.bps) / 10_000));
  return new Date(Math.max(start.getTime(), due.getTime() - policy.ms));
}

export type DeadlineAnchor = DeadlineRule['from'];
export type DeadlineAnchors = Partial<Record<DeadlineAnchor, Date>>;

export interface PlannedDeadline {
  kind: DeadlineRule['kind'];
  from: DeadlineAnchor;
  /** The length of the period as the rule said when it was planned (re-planned from it, {@link replannedDue}). */
  rule: Pick<DeadlineRule, 'amount' | 'unit'>;
  /** ISO-8601 UTC instant. */
  dueAt: string;
  atRiskAt: string;
  basis: string;
}

/**
 * Plans the product's deadlines for the anchors that have happened; rules whose anchor is missing
 * (e.g. the Art. 31 payment deadline before the dossier is complete) are left out. Sorted by due
 * instant, then by the product's rule order.
 */
export function planDeadlines(
  product: Pick<ProductConfig, 'deadlines'>,
  anchors: DeadlineAnchors,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
  atRisk: AtRiskPolicy = DEFAULT_AT_RISK,
): PlannedDeadline[] {
  const planned: PlannedDeadline[] = [];
  for (const rule of product.deadlines) {
    const start = anchors[rule.from];
    if (!start) continue;
    const due = dueAt(rule, start, cal);
    planned.push({
      kind: rule.kind,
      from: rule.from,
      rule: { amount: rule.amount, unit: rule.unit },
      dueAt: due.toISOString(),
      atRiskAt: atRiskAt(start, due, atRisk).toISOString(),
      basis: rule.basis,
    });
  }
  // Array.prototype.sort is stable, so equal instants keep the product's order.
  return planned.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/**
 * Whether a rule's due instant depends on the holiday calendar: working days always; calendar days
 * when they are the customer's period (extended past a last day off, {@link dueAt}).
 */
export const dependsOnCalendar = (rule: Pick<DeadlineRule, 'kind' | 'unit'>): boolean =>
  rule.unit === 'working_days' || (rule.unit === 'calendar_days' && PERIOD_OF[rule.kind] === 'customer');

/**
 * A running deadline planned from `anchorAt` under an earlier calendar, planned again under `cal`:
 * the new due instant, or undefined when it stays where it is. The insurer's deadlines only ever
 * move EARLIER (a calendar correction never gives staff more time than they were told they had);
 * the customer's only LATER (never less time than they were told). Re-planning twice changes
 * nothing the second time.
 */
export function replannedDue(
  deadline: { kind: DeadlineRule['kind']; anchorAt: string; dueAt: string },
  rule: Pick<DeadlineRule, 'amount' | 'unit'>,
  cal: HolidayCalendar,
): string | undefined {
  const planned = { kind: deadline.kind, ...rule };
  if (!dependsOnCalendar(planned)) return undefined;
  const fresh = dueAt(planned, new Date(deadline.anchorAt), cal).getTime();
  const was = Date.parse(deadline.dueAt);
  const next = PERIOD_OF[deadline.kind] === 'customer' ? Math.max(was, fresh) : Math.min(was, fresh);
  return next === was ? undefined : new Date(next).toISOString();
}

export type DeadlineStatus = 'ok' | 'at_risk' | 'breached';

/** `breached` once `now` is past the due instant, `at_risk` from `atRiskAt` on, else `ok`. */
export function deadlineStatus(
  deadline: { dueAt: string | Date; atRiskAt: string | Date },
  now: Date,
): DeadlineStatus {
  const t = now.getTime();
  if (t > new Date(deadline.dueAt).getTime()) return 'breached';
  if (t >= new Date(deadline.atRiskAt).getTime()) return 'at_risk';
  return 'ok';
}

/**
 * Default late-payment interest: 10% a year. Civil Code 2015 Art. 357(2): interest on money paid
 * late is at the agreed rate, capped by Art. 468(1) (20%/year); without an agreement, at the
 * Art. 468(2) rate (50% of that cap, i.e. 10%/year). Contracts may set their own rate.
 */
export const DEFAULT_LATE_INTEREST_BPS = 1_000;
/** Civil Code 2015 Art. 468(1): agreed interest may not exceed 20% a year. */
export const MAX_LATE_INTEREST_BPS = 2_000;

/**
 * Interest owed for paying a claim after its due instant (Law on Insurance Business 08/2022/QH15
 * Art. 31 sets the payment deadline; the Civil Code sets the interest).
 *
 * Days late = Vietnamese calendar days from the due date to the payment date, at least 1 when paid
 * after the due instant; 0 when paid on time. Interest = amount × rate × days / 365 (actual/365,
 * simple interest), rounded half up to whole đồng.
 *
 * @throws DomainError CONFIG_INVALID when the rate is negative, fractional or above the 20% cap.
 */
export function latePaymentInterest(
  amount: Money,
  dueAt: Date,
  paidAt: Date,
  annualRateBps: number = DEFAULT_LATE_INTEREST_BPS,
): Money {
  if (!Number.isInteger(annualRateBps) || annualRateBps < 0 || annualRateBps > MAX_LATE_INTEREST_BPS) {
    throw new DomainError(
      'CONFIG_INVALID',
      'Late-payment interest must be 0–20% a year (Civil Code Art. 468)',
      {
        annualRateBps,
      },
    );
  }
  if (paidAt.getTime() <= dueAt.getTime()) return vnd(0);
  const days = Math.max(1, daysBetween(businessDate(dueAt), businessDate(paidAt)));
  const num = BigInt(amount.amount) * BigInt(annualRateBps) * BigInt(days);
  const den = 10_000n * 365n;
  return vnd(Number((num * 2n + den) / (den * 2n))); // round half up
}

// ---- what meets a deadline, what the flag points at, who hears of it -----------------------------

/**
 * Deadlines that are the insurer's own work (the law's or the service standard's clock on staff).
 * Customer reminders and the automatic no-response closure are not: they neither order the work
 * queue nor paint a claim red while they run.
 */
export const INSURER_DEADLINE_KINDS: ReadonlySet<string> = new Set([
  'acknowledgement',
  'guidance',
  'assessment',
  'advance_payment',
  'payment',
  'appeal_decision',
]);

/** What a claim event says about the dossier when it happened (see {@link documentsAllIn}). */
export interface DossierFacts {
  type: string;
  data?: Record<string, unknown>;
}

/**
 * Whether every required document was in when `event` happened: the documents reminder is met
 * then and only then (an answered information request with documents still missing does not meet
 * it). `DossierCompleted` says so by itself; `DocumentVerified` carries `dossierComplete` and
 * `InfoProvided` carries `missingDocuments`, both as of that event. Events written before those
 * facts were recorded fall back to `now` (the claim as it is when the event is handled).
 */
export function documentsAllIn(
  event: DossierFacts,
  now: { requiredDocuments: readonly string[]; receivedDocuments: readonly string[] },
): boolean {
  if (event.type === 'DossierCompleted') return true;
  const d = event.data ?? {};
  if (typeof d.dossierComplete === 'boolean') return d.dossierComplete;
  if (Array.isArray(d.missingDocuments)) return d.missingDocuments.length === 0;
  return now.requiredDocuments.every((t) => now.receivedDocuments.includes(t));
}

export type DeadlineFlag = 'breached' | 'at_risk' | 'ok' | 'none';

interface FlagCandidate {
  id?: string;
  kind: string;
  dueAt: string;
  atRiskAt: string;
  status: 'open' | 'at_risk' | 'met' | 'breached' | 'cancelled' | 'closed';
}

/** The flag and the one deadline it belongs to (kind and due instant), for the claim header. */
export interface FlaggedDeadline {
  flag: DeadlineFlag;
  deadline?: { id?: string; kind: string; dueAt: string; status: FlagCandidate['status'] };
}

/**
 * The worst state of a claim's deadlines and the deadline it comes from: a breached deadline
 * first (recorded, or an insurer deadline still running past its due instant), then one at risk,
 * then the nearest running one; among equals, the earliest due. Running customer reminders and
 * the no-response closure never raise the flag (a reminder past its due date is not the insurer's
 * breach); met, cancelled and closed deadlines are done.
 */
export function flaggedDeadline(deadlines: readonly FlagCandidate[], now: Date): FlaggedDeadline {
  const rank = { breached: 0, at_risk: 1, ok: 2 } as const;
  let best: { state: keyof typeof rank; d: FlagCandidate } | undefined;
  for (const d of deadlines) {
    let state: keyof typeof rank;
    if (d.status === 'breached') state = 'breached';
    else if ((d.status === 'open' || d.status === 'at_risk') && INSURER_DEADLINE_KINDS.has(d.kind)) {
      const timed = deadlineStatus(d, now);
      state = timed === 'breached' ? 'breached' : d.status === 'at_risk' ? 'at_risk' : timed;
    } else continue;
    if (
      !best ||
      rank[state] < rank[best.state] ||
      (rank[state] === rank[best.state] && Date.parse(d.dueAt) < Date.parse(best.d.dueAt))
    )
      best = { state, d };
  }
  if (!best) return { flag: 'none' };
  const { id, kind, dueAt, status } = best.d;
  return { flag: best.state, deadline: { ...(id ? { id } : {}), kind, dueAt, status } };
}

/** Who hears of a deadline at risk or missed. */
export interface EscalationAudience {
  /** The adjuster the claim is assigned to (by staff id), if it is assigned to a person. */
  assignee?: string;
  /** Every active supervisor. */
  supervisors: boolean;
  /** The claims department's topic. */
  claimsTopic: boolean;
  /** Departments whose vote the claim waits for (their topics). */
  departments: string[];
}

/**
 * The escalation ladder: the person who handles the claim hears first, the supervisors when the
 * deadline is missed. At risk, the supervisors hear at once only when nobody else can act: the
 * claim sits in a team queue, or it waits for a supervisor's approval. Whoever the workflow waits
 * for (a supervisor, the departments of a joint decision that have not voted) is told at the same
 * step as the assignee, so a legal deadline never runs out while a claim silently waits for them.
 */
export function escalationAudience(
  claim: {
    assignee?: { staffId: string };
    assignedQueue?: string;
    waitingFor?: string;
    approvals?: readonly {
      status: string;
      departments: readonly string[];
      votes: readonly { department: string }[];
    }[];
  },
  level: 'at_risk' | 'breached',
): EscalationAudience {
  const assignee = claim.assignedQueue ? undefined : claim.assignee?.staffId;
  const round = claim.approvals?.at(-1);
  const departments =
    claim.waitingFor === 'department' && round?.status === 'open'
      ? round.departments.filter((d) => !round.votes.some((v) => v.department === d))
      : [];
  const breached = level === 'breached';
  return {
    ...(assignee ? { assignee } : {}),
    supervisors: breached || !assignee || claim.waitingFor === 'supervisor',
    claimsTopic: breached,
    departments,
  };
}
