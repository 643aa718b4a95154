import { requireEnv } from '../../adapters/env.ts';
import { batchHistory } from '../../app/finance.ts';
import { ListQuery } from '../../core/api-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListPaymentBatches', {}, async ({ principal, query }) => {
  const q = parseQuery(ListQuery, query);
  return { body: await batchHistory(principal.userId, q.limit, q.cursor, systemClock) };
});
