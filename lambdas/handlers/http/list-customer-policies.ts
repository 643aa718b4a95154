import { policiesByCustomer } from '../../adapters/dynamo/policies-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { policySummary } from '../../core/policy.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

/** The call centre looks up a caller's policies by customer id before filing for them. */
export const handler = apiHandler('ListCustomerPolicies', {}, async ({ params }) => ({
  body: { items: (await policiesByCustomer(params.customerId ?? '')).map(policySummary) },
}));
