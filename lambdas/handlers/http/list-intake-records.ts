import { requireEnv } from '../../adapters/env.ts';
import { listIntakeRecords } from '../../app/intake-records.ts';
import { IntakeListQuery } from '../../core/inbound-email.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListIntakeRecords', {}, async ({ principal, query }) => {
  const { outcome } = parseQuery(IntakeListQuery, query);
  return { body: { items: await listIntakeRecords(principal, systemClock, outcome) } };
});
