import { claimsByPolicy, documentsOfClaim, eventsOfClaim } from '../../adapters/dynamo/claims-repo.ts';
import { getPolicy } from '../../adapters/dynamo/policies-repo.ts';
import { listStaff } from '../../adapters/dynamo/users-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { approvalControlsView, loadSodFacts } from '../../app/approval-controls.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { claimSummary, claimView } from '../../app/claim-view.ts';
import { loadProducts } from '../../app/products.ts';
import { deadlineFlagOf } from '../../app/queue.ts';
import { outstandingDocuments } from '../../core/controls.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { isCustomerOnly } from '../../http/principal.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetClaim', {}, async ({ principal, params }) => {
  const claim = await loadClaimFor(principal, params.claimId ?? '');
  const audience = isCustomerOnly(principal) ? 'customer' : 'staff';
  const staff = audience === 'staff';
  const [events, documents, products, policy, onPolicy, people] = await Promise.all([
    eventsOfClaim(claim.claimId),
    documentsOfClaim(claim.claimId),
    loadProducts(),
    staff ? getPolicy(claim.policyNumber) : undefined,
    staff ? claimsByPolicy(claim.policyNumber) : [],
    staff ? listStaff() : [],
  ]);
  const names = new Map(people.map((p) => [p.userId, p.displayName]));
  const product = products.find((p) => p.code === claim.productCode);
  // One snapshot: events written after the claim was read belong to a newer version of it.
  const upToClaim = events.filter((e) => e.seq <= claim.lastEventSeq);
  const view = claimView(claim, upToClaim, documents, products, audience, names);
  // Staff also see the policy's covers and limits and its claims history.
  const history = onPolicy.filter((c) => c.claimId !== claim.claimId).map(claimSummary);
  return {
    body: staff
      ? {
          ...view,
          policy,
          policyClaims: history,
          ...deadlineFlagOf(claim, new Date()),
          // What an approver must see: outstanding documents, waivers, segregation-of-duties facts.
          missingDocuments: outstandingDocuments(claim),
          controls: approvalControlsView(claim, await loadSodFacts(claim, product, people), names),
        }
      : view,
    headers: { etag: `"${claim.version}"` },
  };
});
