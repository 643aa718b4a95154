import { policiesByCustomer } from '../../adapters/dynamo/policies-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { policySummary } from '../../core/policy.ts';
import { DomainError } from '../../core/errors.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListMyPolicies', {}, async ({ principal }) => {
  if (!principal.customerId)
    throw new DomainError('FORBIDDEN', 'No customer record is linked to this account');
  const policies = await policiesByCustomer(principal.customerId);
  return { body: { items: policies.map(policySummary) } };
});
