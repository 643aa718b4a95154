import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { queuePayment } from '../../app/payment.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

export const handler = taskHandler(
  'QueuePayment',
  z.object({ claimId: z.string().check(z.minLength(1)) }),
  ({ claimId }) => queuePayment(claimId, systemClock),
);
