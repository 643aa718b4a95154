import { requireEnv } from '../../adapters/env.ts';
import { loadClaimFor } from '../../app/claim-store.ts';
import { policyHistory } from '../../app/policy-history.ts';
import { DomainError } from '../../core/errors.ts';
import { ClaimIdParam, PagedQuery } from '../../core/search.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('PolicyHistory', {}, async ({ principal, params, query }) => {
  const id = ClaimIdParam.safeParse(params.claimId);
  if (!id.success) throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  const q = PagedQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  const claim = await loadClaimFor(principal, id.data);
  return { body: await policyHistory(principal.userId, claim, q.data.limit, q.data.cursor) };
});
