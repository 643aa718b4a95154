import { requireEnv } from '../../adapters/env.ts';
import { listPayoutsAwaiting } from '../../app/finance.ts';
import { PayoutsQuery } from '../../core/finance.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListPayoutsAwaiting', {}, async ({ principal, query }) => {
  const q = parseQuery(PayoutsQuery, query);
  return { body: await listPayoutsAwaiting(principal.userId, q.limit, q.cursor) };
});
