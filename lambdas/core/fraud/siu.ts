/**
 * The SIU's rules about a referred claim: what is still open, what holds the payment, and which
 * step may follow which (referred → investigating → closed with an outcome). Pure.
 */
import * as z from 'zod/mini';
import { defineSchema } from '../define-schema.ts';
import { type Claim, SIU_OUTCOMES, SIU_STATUSES, type SiuCase, type SiuOutcome } from '../claim.ts';
import { DomainError } from '../errors.ts';
import { PRODUCT_CODES } from '../products.ts';
import { CursorParam, PageLimit } from '../search.ts';
import { businessDate } from '../time.ts';

/** True while the SIU has not cleared the claim: its payment stays out of every bank batch. */
export const siuHoldsPayment = (c: Pick<Claim, 'siu'>): boolean =>
  c.siu !== undefined && !(c.siu.status === 'closed' && c.siu.outcome === 'cleared');

/**
 * The number of fraud indicators that block straight-through: all of them while the claim is
 * with the SIU (at least one, when it was referred on the score alone), none otherwise. Red flags
 * below the referral bar stay visible to staff but do not take the claim away from the product's
 * straight-through rule; a cleared claim is released.
 */
export function openFraudIndicators(c: Pick<Claim, 'siu' | 'fraudIndicators'>): number {
  if (!siuHoldsPayment(c)) return 0;
  return Math.max(1, c.fraudIndicators?.length ?? 0);
}

/**
 * Referral reasons that come from a control, not from the score or the red flags: the payout
 * account was changed to one that belongs to a member of staff. The SIU's queue and the claim's
 * fraud panel name them in words (`staff.siuReason`).
 */
export const CONTROL_REFERRALS = ['STAFF_PAYOUT_ACCOUNT', 'STAFF_REFERRAL'] as const;
export type ControlReferral = (typeof CONTROL_REFERRALS)[number];

/**
 * The SIU case a control opens: a new referral, unless the SIU already has the claim open (the
 * reason is added to it). A claim the SIU closed before is referred again: the new fact is news.
 */
export function referForControl(
  s: SiuCase | undefined,
  reason: ControlReferral,
  score: number,
  at: string,
): SiuCase {
  if (s && s.status !== 'closed')
    return s.reasons.includes(reason) ? s : { ...s, reasons: [...s.reasons, reason] };
  return { status: 'referred', referredAt: at, reasons: [reason], score };
}

/** The SIU starts work on a referred claim. */
export function startInvestigation(
  s: SiuCase | undefined,
  by: { id: string; role: string },
  at: string,
): SiuCase {
  if (!s) throw new DomainError('SIU_CASE_NOT_FOUND', 'The claim was not referred to the SIU');
  if (s.status !== 'referred')
    throw new DomainError('SIU_CASE_NOT_OPEN', 'The investigation has already started');
  return { ...s, status: 'investigating', startedAt: at, investigator: by };
}

/** The SIU's conclusion, which becomes the claim's label: `confirmed` (fraud) or `cleared`. */
export function closeInvestigation(
  s: SiuCase | undefined,
  outcome: SiuOutcome,
  note: string,
  by: { id: string; role: string },
  at: string,
): SiuCase {
  if (!s) throw new DomainError('SIU_CASE_NOT_FOUND', 'The claim was not referred to the SIU');
  if (s.status === 'closed') throw new DomainError('SIU_CASE_NOT_OPEN', 'The investigation is closed');
  return { ...s, status: 'closed', outcome, note, closedAt: at, closedBy: by };
}

/**
 * How the member of staff closing an SIU case worked on the claim, if at all: its handler (now or
 * before a reassignment), the one who filed it, assessed it, decided it, asked for its approval, voted on it or waived one of its
 * documents, or whose own bank account or contact the claim gives (`staffLinks`, from the staff
 * directory). An investigation is concluded by someone who did none of these (SOD_OWN_CASE).
 */
export function siuCloserInvolvement(
  c: Pick<
    Claim,
    | 'assignee'
    | 'formerAssignees'
    | 'filedBy'
    | 'assessment'
    | 'decision'
    | 'approvals'
    | 'waivers'
    | 'advances'
  >,
  closerId: string,
  staffLinks: { payoutAccountOfStaff: readonly string[]; contactOfStaff: readonly string[] },
): string[] {
  const roles: [string, boolean][] = [
    ['handler', c.assignee?.staffId === closerId],
    ['former_handler', (c.formerAssignees ?? []).includes(closerId)],
    ['filed', c.filedBy?.id === closerId],
    ['assessed', c.assessment?.method === 'adjuster' && c.assessment.recordedBy.id === closerId],
    ['decided', c.decision?.decidedBy.id === closerId],
    ['approval_requested', (c.approvals ?? []).some((r) => r.requestedBy.id === closerId)],
    ['voted', (c.approvals ?? []).some((r) => r.votes.some((v) => v.userId === closerId))],
    ['waived', (c.waivers ?? []).some((w) => w.waivedBy.id === closerId)],
    ['advance_approved', (c.advances ?? []).some((a) => a.approvedBy.id === closerId)],
    ['payout_account', staffLinks.payoutAccountOfStaff.includes(closerId)],
    ['contact', staffLinks.contactOfStaff.includes(closerId)],
  ];
  return roles.filter(([, yes]) => yes).map(([role]) => role);
}

/** The label of a closed claim for the training export: 1 confirmed, 0 cleared, null otherwise. */
export function siuLabel(c: Pick<Claim, 'siu'>): 0 | 1 | null {
  if (c.siu?.status !== 'closed') return null;
  return c.siu.outcome === 'confirmed' ? 1 : 0;
}

/**
 * `GET /siu/cases?status=&cursor=`: the cursor is the signed one the previous page returned
 * (core/cursor.ts), bound to the caller and the status; an edited or foreign one is 400 INVALID_CURSOR.
 */
export const SiuQueueQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    status: z._default(z.enum(SIU_STATUSES), 'referred'),
    limit: PageLimit,
    cursor: CursorParam,
  }),
);
export type SiuQueueQuery = z.infer<typeof SiuQueueQuery>;

const Day = /* @__PURE__ */ defineSchema(() => z.iso.date());

/**
 * `GET /siu/paid`: the retrospective review's search. Every filter is optional: the product, the
 * day paid (from / to, inclusive, Vietnam dates), the lowest score, and `flagged=true` for claims
 * that carried at least one red flag. The cursor is bound to the caller and these filters.
 */
export const SiuPaidQuery = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      product: z.optional(z.enum(PRODUCT_CODES)),
      paidFrom: z.optional(Day),
      paidTo: z.optional(Day),
      minScore: z.optional(z.coerce.number().check(z.gte(0), z.lte(1))),
      flagged: z.optional(z.enum(['true', 'false'])),
      limit: PageLimit,
      cursor: CursorParam,
    })
    .check(
      z.refine((q) => !q.paidFrom || !q.paidTo || q.paidFrom <= q.paidTo, {
        path: ['paidTo'],
        message: 'paidTo must not be before paidFrom',
      }),
    ),
);
export type SiuPaidQuery = z.infer<typeof SiuPaidQuery>;

/** `POST /siu/cases/{claimId}/outcome`. */
export const SiuOutcomeBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    outcome: z.enum(SIU_OUTCOMES),
    note: z.string().check(z.trim(), z.minLength(3), z.maxLength(2000)),
  }),
);

/** `POST /claims/{claimId}/siu-referral`: why a member of staff refers the claim by hand. */
export const SiuReferralBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    note: z.string().check(z.trim(), z.minLength(5), z.maxLength(2000)),
  }),
);

/** Whether a paid claim answers the retrospective search (filters applied before the page limit). */
export function matchesPaidSearch(
  c: Pick<Claim, 'productCode' | 'payment' | 'fraud' | 'fraudIndicators'>,
  q: Omit<SiuPaidQuery, 'limit' | 'cursor'>,
): boolean {
  if (q.product && c.productCode !== q.product) return false;
  const paidAt = c.payment?.paidAt;
  const paidDay = paidAt ? businessDate(new Date(paidAt)) : undefined;
  if ((q.paidFrom || q.paidTo) && !paidDay) return false;
  if (q.paidFrom && paidDay && paidDay < q.paidFrom) return false;
  if (q.paidTo && paidDay && paidDay > q.paidTo) return false;
  if (q.minScore !== undefined && (c.fraud?.score ?? 0) < q.minScore) return false;
  const flags = c.fraudIndicators?.length ?? 0;
  if (q.flagged === 'true' && flags === 0) return false;
  if (q.flagged === 'false' && flags > 0) return false;
  return true;
}
