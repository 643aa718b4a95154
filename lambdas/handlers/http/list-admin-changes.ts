import { requireEnv } from '../../adapters/env.ts';
import { listAdminChanges } from '../../app/admin-changes.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

/** GET /admin/changes: administration changes awaiting a second administrator. */
export const handler = apiHandler('ListAdminChanges', {}, async () => ({ body: await listAdminChanges() }));
