import { requireEnv } from '../../adapters/env.ts';
import { loadReconciliation } from '../../app/finance.ts';
import { DomainError } from '../../core/errors.ts';
import { ReconciliationIdParam } from '../../core/finance.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetReconciliation', {}, async ({ params }) => {
  const id = ReconciliationIdParam.safeParse(params.reconId);
  if (!id.success) throw new DomainError('RECONCILIATION_NOT_FOUND', 'Reconciliation not found');
  return { body: await loadReconciliation(id.data) };
});
