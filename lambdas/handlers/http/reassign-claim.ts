import { requireEnv } from '../../adapters/env.ts';
import { reassignClaim } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { ReassignBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ReassignClaim',
  { body: ReassignBody },
  async ({ principal, params, body }) => {
    const claim = await reassignClaim(principal, params.claimId ?? '', body, systemClock);
    return {
      body: { ...claimSummary(claim), assignee: claim.assignee },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
