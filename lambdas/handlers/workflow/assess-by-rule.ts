import * as z from 'zod';
import { requireEnv } from '../../adapters/env.ts';
import { assessByRule } from '../../app/straight-through.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler('AssessByRule', z.object({ claimId: z.string().min(1) }), ({ claimId }) =>
  assessByRule(claimId, systemClock),
);
