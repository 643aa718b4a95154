import { requireEnv } from '../../adapters/env.ts';
import { startSiuInvestigation } from '../../app/siu.ts';
import { NoBody } from '../../core/api-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'StartSiuInvestigation',
  { body: NoBody },
  async ({ principal, params }) => {
    const claim = await startSiuInvestigation(principal, params.claimId ?? '', systemClock);
    return { body: { claimId: claim.claimId, siu: claim.siu } };
  },
);
