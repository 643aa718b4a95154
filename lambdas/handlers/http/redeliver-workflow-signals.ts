import { requireEnv } from '../../adapters/env.ts';
import { redeliverSignals } from '../../app/workflow-signals.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { NoBody } from '../../core/api-schemas.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'RedeliverWorkflowSignals',
  { body: NoBody },
  async ({ principal, params }) => ({
    status: 200,
    body: await redeliverSignals(principal, params.claimId ?? '', systemClock),
  }),
);
