import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { departmentVote } from '../../app/decisions.ts';
import { VoteBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'DepartmentVote',
  { body: VoteBody },
  async ({ principal, params, body }) => {
    const claim = await departmentVote(principal, params.claimId ?? '', body, systemClock);
    return {
      body: { ...claimSummary(claim), approvals: claim.approvals },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
