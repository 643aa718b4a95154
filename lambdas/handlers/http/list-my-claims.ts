import { requireEnv } from '../../adapters/env.ts';
import { myClaims } from '../../app/my-claims.ts';
import { ListQuery } from '../../core/api-schemas.ts';
import { DomainError } from '../../core/errors.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('ListMyClaims', {}, async ({ principal, query }) => {
  if (!principal.customerId)
    throw new DomainError('FORBIDDEN', 'No customer record is linked to this account');
  const q = ListQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return { body: await myClaims(principal.userId, principal.customerId, q.data.limit, q.data.cursor) };
});
