import { requireEnv } from '../../adapters/env.ts';
import { batchDownload } from '../../app/finance.ts';
import { DomainError } from '../../core/errors.ts';
import { BatchIdParam, DownloadQuery } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME', 'EXPORTS_BUCKET');

export const handler = apiHandler('DownloadPaymentBatch', {}, async ({ principal, params, query }) => {
  const id = BatchIdParam.safeParse(params.batchId);
  if (!id.success) throw new DomainError('BATCH_NOT_FOUND', 'Batch not found');
  const q = parseQuery(DownloadQuery, query);
  return { body: await batchDownload(principal, id.data, q.format, systemClock) };
});
