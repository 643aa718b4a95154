import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { sendAcknowledgement } from '../../app/intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

const env = requireEnv('TABLE_NAME', 'EMAIL_FROM', 'WEB_BASE_URL');

export const handler = taskHandler(
  'SendAcknowledgement',
  z.object({ claimId: z.string().check(z.minLength(1)) }),
  ({ claimId }) => sendAcknowledgement(claimId, systemClock, env.WEB_BASE_URL),
);
