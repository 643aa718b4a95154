import { requireEnv } from '../../adapters/env.ts';
import { appealClaim } from '../../app/appeal.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { AppealBody } from '../../core/appeal.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'AppealClaim',
  { body: AppealBody },
  async ({ principal, params, body }) => ({
    status: 202,
    body: claimSummary(await appealClaim(principal, params.claimId ?? '', body, systemClock)),
  }),
);
