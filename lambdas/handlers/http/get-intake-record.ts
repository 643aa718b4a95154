import { requireEnv } from '../../adapters/env.ts';
import { getIntakeRecord } from '../../app/intake-records.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetIntakeRecord', {}, async ({ principal, params }) => ({
  body: await getIntakeRecord(principal, params.intakeId ?? ''),
}));
