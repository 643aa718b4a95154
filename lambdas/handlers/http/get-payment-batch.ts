import { requireEnv } from '../../adapters/env.ts';
import { loadBatch } from '../../app/finance.ts';
import { DomainError } from '../../core/errors.ts';
import { BatchIdParam } from '../../core/finance.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetPaymentBatch', {}, async ({ params }) => {
  const id = BatchIdParam.safeParse(params.batchId);
  if (!id.success) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
  return { body: await loadBatch(id.data) };
});
