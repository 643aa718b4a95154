import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { decideClaim } from '../../app/decisions.ts';
import { DecisionBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'DecideClaim',
  { body: DecisionBody },
  async ({ principal, params, body }) => {
    const claim = await decideClaim(principal, params.claimId ?? '', body, systemClock);
    // 202 when the decision now waits for someone else's approval.
    const pending = claim.status === 'PENDING_APPROVAL' || claim.status === 'JOINT_REVIEW';
    return {
      status: pending ? 202 : 200,
      body: { ...claimSummary(claim), decision: claim.decision },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
