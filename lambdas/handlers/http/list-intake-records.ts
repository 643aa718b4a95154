import { requireEnv } from '../../adapters/env.ts';
import { listIntakeRecords } from '../../app/intake-records.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListIntakeRecords', {}, async ({ principal }) => ({
  body: { items: await listIntakeRecords(principal, systemClock) },
}));
