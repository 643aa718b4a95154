import { type HolidayCalendar, VN_DEFAULT_CALENDAR } from './calendar.ts';
import type { Claim, ClaimDecision } from './claim.ts';
import { dueAt } from './deadlines.ts';
import { DomainError } from './errors.ts';
import type { DeadlineRule, ProductConfig } from './products.ts';

/**
 * The customer's appeal after a rejection (issue 10). The rejection letter (Law 08/2022 Art. 20(2)(e))
 * tells the customer they may complain to the insurer with further evidence; an appeal filed within
 * the window reopens the claim for review (REJECTED → UNDER_ASSESSMENT, core/lifecycle.ts), the
 * workflow re-enters assessment in a new execution named for the appeal, and the handler must decide
 * by the appeal's own deadline through the normal decision path (uphold the rejection, or approve).
 * One appeal per claim: a second complaint goes to the regulator or the courts, as the letter says.
 */

/** The window and the decision deadline when the product configures none (`appeal_window` / `appeal_decision` rules). */
export const DEFAULT_APPEAL_WINDOW: DeadlineRule = {
  kind: 'appeal_window',
  from: 'rejected',
  amount: 30,
  unit: 'calendar_days',
  basis:
    'Service standard: a complaint about a rejection is reviewed when filed within 30 days of the rejection letter (the 3-year limitation for court action, Civil Code 2015 Art. 429, is unaffected)',
};
export const DEFAULT_APPEAL_DECISION: DeadlineRule = {
  kind: 'appeal_decision',
  from: 'appealed',
  amount: 15,
  unit: 'working_days',
  basis: 'Service standard: an appeal is decided in writing within 15 working days',
};

/** The product's rule of `kind`, else the default. */
export function appealRule(
  product: Pick<ProductConfig, 'deadlines'> | undefined,
  kind: 'appeal_window' | 'appeal_decision',
): DeadlineRule {
  return (
    product?.deadlines.find((r) => r.kind === kind) ??
    (kind === 'appeal_window' ? DEFAULT_APPEAL_WINDOW : DEFAULT_APPEAL_DECISION)
  );
}

/** POST /claims/{claimId}/appeal (./requests.ts, shared with the web apps). */
export { APPEAL_REASON_MAX, AppealBody } from './requests.ts';

/** An appeal as stored on the claim. */
export interface ClaimAppeal {
  reason: string;
  filedAt: string;
  /** The end of the window it was filed in (from the rejection letter). */
  windowEndsAt: string;
  /** By when the handler must decide (the `appeal_decision` deadline). */
  decideBy: string;
  /** The decision appealed against. */
  rejection: ClaimDecision;
  status: 'open' | 'upheld' | 'overturned';
  decidedAt?: string;
}

/**
 * The last instant a rejection may be appealed: the one fixed when it was decided (`appealBy`,
 * stated in the letter), or for a rejection stored before that was kept, the window from its date.
 */
export function appealDeadline(
  decision: Pick<ClaimDecision, 'decidedAt' | 'appealBy'>,
  product: Pick<ProductConfig, 'deadlines'> | undefined,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
): Date {
  return decision.appealBy ? new Date(decision.appealBy) : appealWindowEnd(decision.decidedAt, product, cal);
}

/** The last instant an appeal against a rejection decided at `rejectedAt` may be filed. */
export function appealWindowEnd(
  rejectedAt: string,
  product: Pick<ProductConfig, 'deadlines'> | undefined,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
): Date {
  return dueAt(appealRule(product, 'appeal_window'), new Date(rejectedAt), cal);
}

/**
 * The appeal `reason` files on `c` at `now`, or a coded refusal: a claim not rejected
 * (APPEAL_NOT_ALLOWED), a second appeal (APPEAL_ALREADY_FILED), or one after the window
 * (APPEAL_WINDOW_CLOSED).
 */
export function fileAppeal(
  c: Pick<Claim, 'status' | 'decision'> & { appeal?: ClaimAppeal },
  reason: string,
  now: Date,
  product: Pick<ProductConfig, 'deadlines'> | undefined,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
): ClaimAppeal {
  if (c.appeal) throw new DomainError('APPEAL_ALREADY_FILED', 'This claim was appealed already');
  if (c.status !== 'REJECTED' || c.decision?.outcome !== 'reject')
    throw new DomainError('APPEAL_NOT_ALLOWED', 'Only a rejected claim can be appealed', {
      status: c.status,
    });
  const windowEnd = appealDeadline(c.decision, product, cal);
  if (now.getTime() > windowEnd.getTime())
    throw new DomainError('APPEAL_WINDOW_CLOSED', 'The time to appeal this rejection has passed', {
      windowEndsAt: windowEnd.toISOString(),
    });
  return {
    reason,
    filedAt: now.toISOString(),
    windowEndsAt: windowEnd.toISOString(),
    decideBy: dueAt(appealRule(product, 'appeal_decision'), now, cal).toISOString(),
    rejection: c.decision,
    status: 'open',
  };
}

/**
 * The appeal after a decision on the reopened claim: a rejection upholds it; an approval overturns
 * it. A request for approval (above the handler's authority, or a joint decision) decides nothing
 * yet: the approver may send it back and the claim be rejected again. `undefined` when nothing changes.
 */
export function settleAppeal(
  appeal: ClaimAppeal | undefined,
  status: Claim['status'],
  now: string,
): ClaimAppeal | undefined {
  if (appeal?.status !== 'open') return undefined;
  if (status === 'REJECTED') return { ...appeal, status: 'upheld', decidedAt: now };
  if (status === 'APPROVED' || status === 'PARTIALLY_APPROVED')
    return { ...appeal, status: 'overturned', decidedAt: now };
  return undefined;
}

/** The name of the workflow execution that reviews the claim's appeal (the first one is named after the claim). */
export const appealExecutionName = (claimId: string) => `${claimId}-appeal`;
