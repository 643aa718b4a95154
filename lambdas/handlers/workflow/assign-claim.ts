import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { assignClaim } from '../../app/intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'AssignClaim',
  z.object({ claimId: z.string().check(z.minLength(1)) }),
  ({ claimId }) => assignClaim(claimId, systemClock),
);
