import { type PostAuditEntry, postAuditQueue } from '../adapters/dynamo/post-audit-repo.ts';
import type { PostAudit } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import type { PostAuditReviewBody } from '../core/post-audit.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { mutateClaim } from './claim-store.ts';
import { staffActor } from './staff-context.ts';

/** The post-audit queue: sampled straight-through payments waiting for (or given) a supervisor's review. */
export async function listPostAudit(principal: Principal, status: 'pending' | 'reviewed') {
  await staffActor(principal, ['supervisor']);
  return postAuditQueue(status);
}

/**
 * A supervisor records the review of a sampled straight-through payment: the claim's post-audit
 * record, its event and the queue entry (moved to `reviewed`) change in one transaction.
 */
export async function reviewPostAudit(
  principal: Principal,
  claimId: string,
  body: PostAuditReviewBody,
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor']);
  return mutateClaim(
    claimId,
    clock,
    (c) => {
      if (c.postAudit?.status !== 'pending')
        throw new DomainError('POST_AUDIT_NOT_PENDING', 'This claim is not waiting for a post-audit review');
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
      return {
        claim: { ...c, postAudit: reviewed },
        events: [
          { type: 'PostAuditReviewed', actor: s.actor, data: { outcome: body.outcome, note: body.note } },
        ],
        postAudit: [entry],
      };
    },
    body.expectedVersion,
  );
}
