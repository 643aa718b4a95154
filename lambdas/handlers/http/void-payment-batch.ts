import { requireEnv } from '../../adapters/env.ts';
import { voidPaymentBatch } from '../../app/finance.ts';
import { DomainError } from '../../core/errors.ts';
import { BatchIdParam, VoidBatchBody } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'VoidPaymentBatch',
  { body: VoidBatchBody },
  async ({ principal, params, body }) => {
    const id = BatchIdParam.safeParse(params.batchId);
    if (!id.success) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
    return { body: await voidPaymentBatch(principal, id.data, body.reason, systemClock) };
  },
);
