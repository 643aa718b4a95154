import { documentsOfClaim, eventsOfClaim } from '../../adapters/dynamo/claims-repo.ts';
import { policyOfClaim } from '../../adapters/dynamo/policies-repo.ts';
import { listStaff } from '../../adapters/dynamo/users-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { approvalControlsView, loadSodFacts } from '../../app/approval-controls.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { claimView, forRoles, policyView } from '../../app/claim-view.ts';
import { loadCalendar, loadProducts } from '../../app/products.ts';
import { deadlineFlagOf } from '../../app/queue.ts';
import { policyHistory } from '../../app/policy-history.ts';
import { POLICY_HISTORY_FIRST_PAGE } from '../../core/search.ts';
import { outstandingDocuments } from '../../core/controls.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { isCustomerOnly } from '../../http/principal.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('GetClaim', {}, async ({ principal, params }) => {
  const claim = await loadClaimFor(principal, params.claimId ?? '');
  const audience = isCustomerOnly(principal) ? 'customer' : 'staff';
  const staff = audience === 'staff';
  const [events, documents, products, calendar, policy, history, people] = await Promise.all([
    eventsOfClaim(claim.claimId),
    documentsOfClaim(claim.claimId),
    loadProducts(),
    loadCalendar(),
    staff ? policyOfClaim(claim) : undefined,
    // Staff see the policy's other claims: the first page here, the rest via /policy-history.
    staff ? policyHistory(principal.userId, claim, POLICY_HISTORY_FIRST_PAGE) : undefined,
    staff ? listStaff() : [],
  ]);
  const names = new Map(people.map((p) => [p.userId, p.displayName]));
  const product = products.find((p) => p.code === claim.productCode);
  // One snapshot: events written after the claim was read belong to a newer version of it.
  const upToClaim = events.filter((e) => e.seq <= claim.lastEventSeq);
  const view = claimView(claim, upToClaim, documents, products, audience, names, calendar, policy);
  return {
    body: staff
      ? {
          ...forRoles(view, principal.roles),
          policy: policy && policyView(policy),
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
