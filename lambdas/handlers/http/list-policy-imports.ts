import { requireEnv } from '../../adapters/env.ts';
import { recentPolicyImports } from '../../app/policy-import.ts';
import { ListQuery } from '../../core/api-schemas.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListPolicyImports', {}, async ({ query }) => {
  const q = parseQuery(ListQuery, query);
  return { body: await recentPolicyImports(q.limit) };
});
