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

type Staff = { id: string; role: string };
type PastCase = Omit<SiuCase, 'history'>;

/** Every case of the claim, oldest first: the closed ones of `history`, then the current one. */
export function siuCases(s: SiuCase | undefined): PastCase[] {
  if (!s) return [];
  const { history = [], ...current } = s;
  return [...history, current];
}

/**
 * The `confirmed` finding that still stands on the claim, if any: the latest case closed
 * `confirmed`, unless a later case was closed `cleared` as its formal overturn (by a second SIU
 * reviewer, `closeInvestigation`). A referral after it opens a new case but does not lift it; a
 * `cleared` without `overturned` (which `closeInvestigation` never writes) does not either.
 */
export function standingConfirmation(s: SiuCase | undefined): PastCase | undefined {
  let standing: PastCase | undefined;
  for (const k of siuCases(s)) {
    if (k.status !== 'closed') continue;
    if (k.outcome === 'confirmed') standing = k;
    else if (k.overturned) standing = undefined;
  }
  return standing;
}

/**
 * True while the SIU has not cleared the claim: a case is open, or a confirmed finding stands. Its
 * payment stays out of every bank batch.
 */
export const siuHoldsPayment = (c: Pick<Claim, 'siu'>): boolean =>
  c.siu !== undefined && (c.siu.status !== 'closed' || standingConfirmation(c.siu) !== undefined);

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
 * account was changed to one that belongs to a member of staff, a member of staff referred the
 * claim by hand, a supervisor's post-audit found a straight-through payment irregular. The SIU's
 * queue and the claim's fraud panel name them in words (`staff.siuReason`).
 */
export const CONTROL_REFERRALS = ['STAFF_PAYOUT_ACCOUNT', 'STAFF_REFERRAL', 'POST_AUDIT_IRREGULAR'] as const;
export type ControlReferral = (typeof CONTROL_REFERRALS)[number];

/**
 * A new case on a claim: the closed case before it (and that case's own history) moves to
 * `history`, so its outcome, closer and note are kept, and a confirmed finding keeps standing.
 */
export function openCase(
  s: SiuCase | undefined,
  next: { reasons: string[]; score: number; at: string; by?: Staff },
): SiuCase {
  return {
    status: 'referred',
    referredAt: next.at,
    reasons: next.reasons,
    score: next.score,
    ...(next.by ? { referredBy: [next.by] } : {}),
    ...(s ? { history: siuCases(s) } : {}),
  };
}

/**
 * The SIU case a control opens: a new referral, unless the SIU already has the claim open (the
 * reason, and who referred it by hand, are added to it). A claim the SIU closed before is referred
 * again, the closed case kept in its history: the new fact is news.
 */
export function referForControl(
  s: SiuCase | undefined,
  reason: ControlReferral,
  score: number,
  at: string,
  by?: Staff,
): SiuCase {
  if (s && s.status !== 'closed') {
    const reasons = s.reasons.includes(reason) ? s.reasons : [...s.reasons, reason];
    const known = !by || (s.referredBy ?? []).some((r) => r.id === by.id);
    const referredBy = known ? s.referredBy : [...(s.referredBy ?? []), by];
    return reasons === s.reasons && known ? s : { ...s, reasons, ...(referredBy ? { referredBy } : {}) };
  }
  return openCase(s, { reasons: [reason], score, at, by });
}

/** What a score says about referral, as far as the SIU case needs it (core/fraud/assess.ts). */
export interface ScoreReferral {
  refer: boolean;
  reasons: readonly string[];
  flags: readonly { code: string }[];
  score: number;
}

/**
 * The SIU case a new score opens, if any: the first referral of a claim the score refers; and a
 * claim the SIU cleared is referred again when the score refers it and carries a red flag it did
 * not carry when the case was cleared (its payout moved to an account other customers' claims
 * use, a new link, a late document): the clearance judged the facts then, not these. A case still
 * open is left as it is, and so is a claim whose confirmed finding stands (it can only be rejected).
 * A case cleared before the flags were kept on it counts the flags it was referred for.
 */
export function referOnScore(
  s: SiuCase | undefined,
  a: ScoreReferral,
  at: string,
): { siu: SiuCase; newFlags?: string[] } | undefined {
  if (!a.refer) return undefined;
  const codes = a.flags.map((f) => f.code);
  const reasons = [...a.reasons, ...codes];
  if (!s) return { siu: openCase(undefined, { reasons, score: a.score, at }) };
  if (s.status !== 'closed' || standingConfirmation(s)) return undefined;
  const known = new Set(s.flagsAtClose ?? s.reasons);
  const newFlags = codes.filter((code) => !known.has(code));
  if (newFlags.length === 0) return undefined;
  return { siu: openCase(s, { reasons, score: a.score, at }), newFlags };
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

/**
 * The SIU's conclusion, which becomes the claim's label: `confirmed` (fraud) or `cleared`. A
 * `cleared` while an earlier case's `confirmed` stands overturns it, with the note as the reason:
 * only by someone other than whoever confirmed it and whoever referred the claim again (four eyes
 * on a finding of fraud; `siuCloserInvolvement` names both first, so this is the last line).
 */
export function closeInvestigation(
  s: SiuCase | undefined,
  outcome: SiuOutcome,
  note: string,
  by: Staff,
  at: string,
  /** What the claim carried as the case closed: its red-flag codes and score (see `referOnScore`). */
  seen?: { flags: readonly string[]; score: number },
): SiuCase {
  if (!s) throw new DomainError('SIU_CASE_NOT_FOUND', 'The claim was not referred to the SIU');
  if (s.status === 'closed') throw new DomainError('SIU_CASE_NOT_OPEN', 'The investigation is closed');
  const closed: SiuCase = {
    ...s,
    status: 'closed',
    outcome,
    note,
    closedAt: at,
    closedBy: by,
    ...(seen ? { flagsAtClose: [...seen.flags], scoreAtClose: seen.score } : {}),
  };
  const standing = outcome === 'cleared' ? standingConfirmation(s) : undefined;
  if (!standing?.closedAt || !standing.closedBy) return closed;
  if (standing.closedBy.id === by.id || (s.referredBy ?? []).some((r) => r.id === by.id))
    throw new DomainError(
      'SOD_OWN_CASE',
      'You confirmed this finding or referred the claim again; another SIU reviewer must overturn it',
      { involvement: standing.closedBy.id === by.id ? ['closed_before'] : ['referred'] },
    );
  return { ...closed, overturned: { closedAt: standing.closedAt, closedBy: standing.closedBy } };
}

/**
 * How the member of staff closing an SIU case worked on the claim, if at all: its handler (now or
 * before a reassignment), the one who filed it, assessed it, decided it, asked for its approval, voted on it or waived one of its
 * documents, or whose own bank account or contact the claim gives (`staffLinks`, from the staff
 * directory); and on the SIU's side, whoever referred it by hand (this case or an earlier one) or
 * closed an earlier case of it, so nobody reverses or repeats their own finding. An investigation
 * is concluded by someone who did none of these (SOD_OWN_CASE).
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
    | 'assessors'
    | 'siu'
  >,
  closerId: string,
  staffLinks: { payoutAccountOfStaff: readonly string[]; contactOfStaff: readonly string[] },
): string[] {
  const roles: [string, boolean][] = [
    ['handler', c.assignee?.staffId === closerId],
    ['former_handler', (c.formerAssignees ?? []).includes(closerId)],
    ['filed', c.filedBy?.id === closerId],
    [
      'assessed',
      (c.assessors ?? []).includes(closerId) ||
        (c.assessment?.method === 'adjuster' && c.assessment.recordedBy.id === closerId),
    ],
    ['decided', c.decision?.decidedBy.id === closerId],
    ['approval_requested', (c.approvals ?? []).some((r) => r.requestedBy.id === closerId)],
    ['voted', (c.approvals ?? []).some((r) => r.votes.some((v) => v.userId === closerId))],
    ['waived', (c.waivers ?? []).some((w) => w.waivedBy.id === closerId)],
    ['advance_approved', (c.advances ?? []).some((a) => a.approvedBy.id === closerId)],
    ['payout_account', staffLinks.payoutAccountOfStaff.includes(closerId)],
    ['contact', staffLinks.contactOfStaff.includes(closerId)],
    ['referred', siuCases(c.siu).some((k) => (k.referredBy ?? []).some((r) => r.id === closerId))],
    ['closed_before', (c.siu?.history ?? []).some((k) => k.closedBy?.id === closerId)],
  ];
  return roles.filter(([, yes]) => yes).map(([role]) => role);
}

/**
 * Every way a member of staff worked on the claim ({@link siuCloserInvolvement}), the SIU's own work
 * included: investigating or closing any of its cases. Whoever did any of it does not review the
 * claim's payment afterwards (the post-audit, SOD_OWN_REVIEW).
 */
export function claimInvolvement(
  c: Parameters<typeof siuCloserInvolvement>[0],
  staffId: string,
  staffLinks: Parameters<typeof siuCloserInvolvement>[2],
): string[] {
  const siuWork: [string, boolean][] = [
    ['siu_investigated', siuCases(c.siu).some((k) => k.investigator?.id === staffId)],
    ['siu_closed', c.siu?.status === 'closed' && c.siu.closedBy?.id === staffId],
  ];
  return [
    ...siuCloserInvolvement(c, staffId, staffLinks),
    ...siuWork.filter(([, yes]) => yes).map(([role]) => role),
  ];
}

/**
 * The claim's label for the training export: 1 while a confirmed finding stands (a referral after
 * it does not change it; only a second reviewer's formal overturn does), else 0 once a case was
 * closed `cleared` (the latest finding, even while a new case is open), null when no case was ever closed.
 */
export function siuLabel(c: Pick<Claim, 'siu'>): 0 | 1 | null {
  if (standingConfirmation(c.siu)) return 1;
  return siuCases(c.siu).some((k) => k.status === 'closed') ? 0 : null;
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
