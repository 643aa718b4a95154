import { requireEnv } from '../../adapters/env.ts';
import { acknowledgeWorkflowFailure } from '../../app/workflow-failures.ts';
import { systemClock } from '../../core/time.ts';
import { AcknowledgeFailureBody } from '../../core/workflow-failures.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'AcknowledgeWorkflowFailure',
  { body: AcknowledgeFailureBody },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await acknowledgeWorkflowFailure(principal, params.claimId ?? '', body.note, systemClock),
  }),
);
