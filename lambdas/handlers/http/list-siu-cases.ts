import { requireEnv } from '../../adapters/env.ts';
import { listSiuCases } from '../../app/siu.ts';
import { SiuQueueQuery } from '../../core/fraud/siu.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListSiuCases', {}, async ({ principal, query }) => {
  const q = parseQuery(SiuQueueQuery, query);
  return { body: await listSiuCases(principal, q) };
});
