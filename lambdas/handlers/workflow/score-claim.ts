import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { scoreClaim } from '../../app/fraud.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'ScoreClaim',
  z.object({ claimId: z.string().check(z.minLength(1)) }),
  ({ claimId }) => scoreClaim(claimId, systemClock, 'receipt'),
);
