import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { reviewPostAudit } from '../../app/post-audit.ts';
import { PostAuditReviewBody } from '../../core/post-audit.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ReviewPostAudit',
  { body: PostAuditReviewBody },
  async ({ principal, params, body }) => {
    const claim = await reviewPostAudit(principal, params.claimId ?? '', body, systemClock);
    return {
      body: { ...claimSummary(claim), postAudit: claim.postAudit },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
