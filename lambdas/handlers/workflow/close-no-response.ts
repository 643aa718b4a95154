import * as z from 'zod';
import { requireEnv } from '../../adapters/env.ts';
import { closeForNoResponse } from '../../app/payment.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'CloseNoResponse',
  z.object({ claimId: z.string().min(1) }),
  ({ claimId }) => closeForNoResponse(claimId, systemClock),
);
