import { siuQueueEntry } from '../adapters/dynamo/fraud-repo.ts';
import { holdPayoutForSiu } from '../adapters/dynamo/finance-repo.ts';
import { type PostAuditEntry, postAuditQueue } from '../adapters/dynamo/post-audit-repo.ts';
import { listStaff } from '../adapters/dynamo/users-repo.ts';
import type { PostAudit } from '../core/claim.ts';
import { SETTLED_STATUSES } from '../core/lifecycle.ts';
import { SegregationOfDutiesError } from '../core/controls.ts';
import { DomainError } from '../core/errors.ts';
import type { NewEvent } from '../core/events.ts';
import { claimInvolvement, referForControl } from '../core/fraud/siu.ts';
import type { PostAuditReviewBody } from '../core/post-audit.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { loadSodFacts } from './approval-controls.ts';
import { mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';

/** The post-audit queue: sampled straight-through payments waiting for (or given) a supervisor's review. */
export async function listPostAudit(principal: Principal, status: 'pending' | 'reviewed') {
  await staffActor(principal, ['supervisor']);
  return postAuditQueue(status);
}

/**
 * A supervisor records the review of a sampled straight-through payment: the claim's post-audit
 * record, its event and the queue entry (moved to `reviewed`) change in one transaction. The
 * reviewer did not work on the claim (`claimInvolvement`: handled, filed, assessed, decided,
 * waived, approved an advance, investigated it for the SIU…; SOD_OWN_REVIEW). An `irregular`
 * finding refers the claim to the SIU in the same write (reason POST_AUDIT_IRREGULAR, the note on
 * the referral) and holds whatever of its payment is not yet with the bank, as a hand referral does.
 */
export async function reviewPostAudit(
  principal: Principal,
  claimId: string,
  body: PostAuditReviewBody,
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor']);
  // The staff directory once: a retried write (version conflict) judges the claim again, not the list.
  const people = await listStaff();
  const claim = await mutateClaim(
    claimId,
    clock,
    async (c) => {
      if (c.postAudit?.status !== 'pending')
        throw new DomainError('POST_AUDIT_NOT_PENDING', 'This claim is not waiting for a post-audit review');
      const involvement = claimInvolvement(c, principal.userId, await loadSodFacts(c, undefined, people));
      if (involvement.length > 0)
        throw new SegregationOfDutiesError(
          'SOD_OWN_REVIEW',
          'You worked on this claim; another supervisor must review its payment',
          { involvement },
        );
      const now = clock.now().toISOString();
      const reviewed: PostAudit = {
        ...c.postAudit,
        status: 'reviewed',
        outcome: body.outcome,
        note: body.note,
        reviewedAt: now,
        reviewedBy: { id: principal.userId, role: s.role },
      };
      const entry: PostAuditEntry = {
        claimId: c.claimId,
        claimNumber: c.claimNumber,
        productCode: c.productCode,
        status: 'reviewed',
        sampledAt: c.postAudit.sampledAt,
        amount: c.postAudit.amount,
        basis: c.straightThrough?.evidence?.basis,
        outcome: body.outcome,
        reviewedAt: now,
      };
      const reviewedEvent: NewEvent = {
        type: 'PostAuditReviewed',
        actor: s.actor,
        data: { outcome: body.outcome, note: body.note },
      };
      if (body.outcome !== 'irregular')
        return { claim: { ...c, postAudit: reviewed }, events: [reviewedEvent], postAudit: [entry] };
      const siu = referForControl(c.siu, 'POST_AUDIT_IRREGULAR', c.fraud?.score ?? 0, now, {
        id: principal.userId,
        role: s.role,
      });
      const hold =
        c.paymentHold ??
        (SETTLED_STATUSES.includes(c.status) ? undefined : { reason: 'siu_referral' as const, since: now });
      return {
        claim: { ...c, postAudit: reviewed, siu, ...(hold ? { paymentHold: hold } : {}) },
        events: [
          reviewedEvent,
          {
            type: 'ClaimReferredToSiu',
            actor: s.actor,
            data: {
              reasons: siu.reasons,
              note: body.note,
              postAudit: true,
              ...(c.siu && c.siu.status !== 'closed' ? { alreadyOpen: true } : {}),
              ...(c.siu?.status === 'closed' ? { reopened: { outcome: c.siu.outcome } } : {}),
            },
          },
        ],
        postAudit: [entry],
        siuCases: [siuQueueEntry(c, siu)],
      };
    },
    body.expectedVersion,
  );
  // Irregular: every payout line not yet with the bank leaves the queue (or holds its batch).
  if (body.outcome === 'irregular' && claim.siu) await holdPayoutForSiu(claimId, claim.siu.referredAt);
  return claim;
}
