import { eventsOfClaim } from '../../adapters/dynamo/claims-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { verifyChain } from '../../core/events.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('VerifyAuditTrail', {}, async ({ principal, params }) => {
  const claim = await loadClaimFor(principal, params.claimId ?? '');
  const events = await eventsOfClaim(claim.claimId);
  return {
    body: {
      claimId: claim.claimId,
      claimNumber: claim.claimNumber,
      // The claim item (read first) records the chain's last sequence and hash.
      verdict: verifyChain(events, { lastSeq: claim.lastEventSeq, lastHash: claim.lastEventHash }),
      events,
    },
  };
});
