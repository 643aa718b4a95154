import { requireEnv } from '../../adapters/env.ts';
import { reconciliationHistory } from '../../app/finance.ts';
import { ListQuery } from '../../core/api-schemas.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListReconciliations', {}, async ({ query }) => {
  const q = parseQuery(ListQuery, query);
  return { body: { items: await reconciliationHistory(q.limit) } };
});
