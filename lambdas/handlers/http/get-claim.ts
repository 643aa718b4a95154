import { documentsOfClaim, eventsOfClaim } from '../../adapters/dynamo/claims-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { claimView } from '../../app/claim-view.ts';
import { loadProducts } from '../../app/products.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { isCustomerOnly } from '../../http/principal.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetClaim', {}, async ({ principal, params }) => {
  const claim = await loadClaimFor(principal, params.claimId ?? '');
  const [events, documents, products] = await Promise.all([
    eventsOfClaim(claim.claimId),
    documentsOfClaim(claim.claimId),
    loadProducts(),
  ]);
  const audience = isCustomerOnly(principal) ? 'customer' : 'staff';
  return {
    body: claimView(claim, events, documents, products, audience),
    headers: { etag: `"${claim.version}"` },
  };
});
