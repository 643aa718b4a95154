import { requireEnv } from '../../adapters/env.ts';
import { findCallers } from '../../app/customer-lookup.ts';
import { CustomerLookupQuery } from '../../core/search.ts';
import { DomainError } from '../../core/errors.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME');

/** The call centre finds the caller by phone, policy number, plate, e-mail or full name. */
export const handler = apiHandler('FindCustomers', {}, async ({ query }) => {
  const q = CustomerLookupQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return { body: { items: await findCallers(q.data.q) } };
});
