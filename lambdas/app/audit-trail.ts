import { eventsOfClaim } from '../adapters/dynamo/claims-repo.ts';
import { claimAuditChain } from '../core/audit-anchor.ts';
import type { Caller } from '../core/caller.ts';
import { verifyChain } from '../core/events.ts';
import type { Clock } from '../core/time.ts';
import { verifyAnchored } from './audit-anchors.ts';
import { loadClaimFor } from './claim-store.ts';

/**
 * A claim's full event chain, verified: the SHA-256 links and the head on the claim item
 * (core/events.ts `verifyChain`), then the KMS anchor (core/audit-anchor.ts `judgeAnchor`).
 * Read in this order: the claim item (the head), the anchor, the events; each only moves forward,
 * so events written between the reads are fine.
 */
export async function claimAuditTrail(caller: Caller, claimId: string, clock: Clock) {
  const claim = await loadClaimFor(caller, claimId);
  const { verdict, anchoredSeq, events } = await verifyAnchored(
    claimAuditChain(claim.claimId),
    async () => {
      const events = await eventsOfClaim(claim.claimId);
      return {
        events,
        verdict: verifyChain(events, { lastSeq: claim.lastEventSeq, lastHash: claim.lastEventHash }),
      };
    },
    clock,
  );
  return { claimId: claim.claimId, claimNumber: claim.claimNumber, verdict, anchoredSeq, events };
}
