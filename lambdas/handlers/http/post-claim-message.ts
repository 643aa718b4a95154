import { requireEnv } from '../../adapters/env.ts';
import { postMessage } from '../../app/claim-thread.ts';
import { MessageBody } from '../../core/claim-thread.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'PostClaimMessage',
  { body: MessageBody },
  async ({ principal, params, body }) => ({
    status: 201,
    body: await postMessage(principal, params.claimId ?? '', body, systemClock),
  }),
);
