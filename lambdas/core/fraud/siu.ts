/**
 * The SIU's rules about a referred claim: what is still open, what holds the payment, and which
 * step may follow which (referred → investigating → closed with an outcome). Pure.
 */
import * as z from 'zod';
import { type Claim, SIU_OUTCOMES, SIU_STATUSES, type SiuCase, type SiuOutcome } from '../claim.ts';
import { DomainError } from '../errors.ts';

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

/** The label of a closed claim for the training export: 1 confirmed, 0 cleared, null otherwise. */
export function siuLabel(c: Pick<Claim, 'siu'>): 0 | 1 | null {
  if (c.siu?.status !== 'closed') return null;
  return c.siu.outcome === 'confirmed' ? 1 : 0;
}

/** `GET /siu/cases?status=&after=`: `after` is the last entry's queue position (`<referredAt>#<claimId>`). */
export const SiuQueueQuery = z
  .object({
    status: z.enum(SIU_STATUSES).default('referred'),
    after: z
      .string()
      .max(120)
      .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9-]{1,64}$/)
      .optional(),
  })
  .strict();

/** `GET /siu/paid?after=`: the last claim's position in the PAID queue. */
export const SiuPaidQuery = z.object({ after: z.string().min(1).max(200).optional() }).strict();

/** `POST /siu/cases/{claimId}/outcome`. */
export const SiuOutcomeBody = z
  .object({ outcome: z.enum(SIU_OUTCOMES), note: z.string().trim().min(3).max(2000) })
  .strict();
