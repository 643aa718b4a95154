import * as z from 'zod';
import { requireEnv } from '../../adapters/env.ts';
import { assignClaim } from '../../app/intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler('AssignClaim', z.object({ claimId: z.string().min(1) }), ({ claimId }) =>
  assignClaim(claimId, systemClock),
);
