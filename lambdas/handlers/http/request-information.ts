import { requireEnv } from '../../adapters/env.ts';
import { requestInformation } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { InfoRequestBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'RequestInformation',
  { body: InfoRequestBody },
  async ({ principal, params, body }) => {
    const claim = await requestInformation(principal, params.claimId ?? '', body, systemClock);
    return {
      status: 201,
      body: { ...claimSummary(claim), infoRequest: claim.infoRequests?.at(-1) },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
