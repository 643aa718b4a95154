import { requireEnv } from '../../adapters/env.ts';
import { listMessages } from '../../app/claim-thread.ts';
import { MessageQuery } from '../../core/claim-thread.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListClaimMessages', {}, async ({ principal, params, query }) => {
  const q = parseQuery(MessageQuery, query);
  return { body: await listMessages(principal, params.claimId ?? '', q.limit, q.cursor) };
});
