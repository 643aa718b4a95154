import { requireEnv } from '../../adapters/env.ts';
import { claimAuditTrail } from '../../app/audit-trail.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'AUDIT_KEY_ID');

export const handler = apiHandler('VerifyAuditTrail', {}, async ({ principal, params }) => ({
  body: await claimAuditTrail(principal, params.claimId ?? '', systemClock),
}));
