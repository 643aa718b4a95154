import { requireEnv } from '../../adapters/env.ts';
import { searchClaims } from '../../app/search.ts';
import { DomainError } from '../../core/errors.ts';
import { SearchQuery } from '../../core/search.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('SearchClaims', {}, async ({ principal, query }) => {
  const q = SearchQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return { body: await searchClaims(principal.userId, q.data, new Date()) };
});
