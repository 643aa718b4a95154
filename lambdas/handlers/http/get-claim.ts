import { documentsOfClaim, eventsOfClaim } from '../../adapters/dynamo/claims-repo.ts';
import { getPolicy } from '../../adapters/dynamo/policies-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { claimView } from '../../app/claim-view.ts';
import { loadProducts } from '../../app/products.ts';
import { deadlineFlag } from '../../app/queue.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { isCustomerOnly } from '../../http/principal.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetClaim', {}, async ({ principal, params }) => {
  const claim = await loadClaimFor(principal, params.claimId ?? '');
  const audience = isCustomerOnly(principal) ? 'customer' : 'staff';
  const [events, documents, products, policy] = await Promise.all([
    eventsOfClaim(claim.claimId),
    documentsOfClaim(claim.claimId),
    loadProducts(),
    audience === 'staff' ? getPolicy(claim.policyNumber) : undefined,
  ]);
  const view = claimView(claim, events, documents, products, audience);
  return {
    body: audience === 'staff' ? { ...view, policy, deadlineFlag: deadlineFlag(claim, new Date()) } : view,
    headers: { etag: `"${claim.version}"` },
  };
});
