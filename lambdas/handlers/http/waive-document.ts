import { requireEnv } from '../../adapters/env.ts';
import { waiveDocument } from '../../app/approval-controls.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { WaiverBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'WaiveDocument',
  { body: WaiverBody },
  async ({ principal, params, body }) => {
    const claim = await waiveDocument(principal, params.claimId ?? '', body, systemClock);
    return {
      status: 201,
      body: { ...claimSummary(claim), waivers: claim.waivers ?? [] },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
