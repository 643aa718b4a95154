import { requireEnv } from '../../adapters/env.ts';
import { adminAuditLog } from '../../app/admin-audit.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'AUDIT_KEY_ID');

export const handler = apiHandler('AdminAuditLog', {}, async () => ({ body: await adminAuditLog() }));
