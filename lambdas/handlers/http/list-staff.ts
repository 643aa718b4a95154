import { requireEnv } from '../../adapters/env.ts';
import { listStaff } from '../../app/staff.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListStaff', {}, async () => ({ body: { items: await listStaff() } }));
