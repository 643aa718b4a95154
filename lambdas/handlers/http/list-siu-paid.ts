import { requireEnv } from '../../adapters/env.ts';
import { paidClaimsForReview } from '../../app/siu.ts';
import { SiuPaidQuery } from '../../core/fraud/siu.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListSiuPaid', {}, async ({ principal, query }) => {
  const q = parseQuery(SiuPaidQuery, query);
  return { body: await paidClaimsForReview(principal, q) };
});
