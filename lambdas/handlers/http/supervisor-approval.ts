import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { supervisorApproval } from '../../app/decisions.ts';
import { SupervisorApprovalBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'SupervisorApproval',
  { body: SupervisorApprovalBody },
  async ({ principal, params, body }) => {
    const claim = await supervisorApproval(principal, params.claimId ?? '', body, systemClock);
    return { body: claimSummary(claim), headers: { etag: `"${claim.version}"` } };
  },
);
