import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { checkClaim } from '../../app/check-claim.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'CheckClaim',
  z.object({ claimId: z.string().check(z.minLength(1)) }),
  ({ claimId }) => checkClaim(claimId, systemClock),
);
