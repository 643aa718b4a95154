import { requireEnv } from '../../adapters/env.ts';
import { releasePaymentBatch } from '../../app/finance.ts';
import { DomainError } from '../../core/errors.ts';
import { BatchIdParam } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { NoBody } from '../../core/api-schemas.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ReleasePaymentBatch', { body: NoBody }, async ({ principal, params }) => {
  const id = BatchIdParam.safeParse(params.batchId);
  if (!id.success) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
  return { body: await releasePaymentBatch(principal, id.data, systemClock) };
});
