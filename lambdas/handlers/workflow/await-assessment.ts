import { z } from 'zod';
import { requireEnv } from '../../adapters/env.ts';
import { awaitAssessment } from '../../app/intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'AwaitAssessment',
  z.object({ claimId: z.string().min(1), taskToken: z.string().min(1) }),
  ({ claimId, taskToken }) => awaitAssessment(claimId, taskToken, systemClock),
);
