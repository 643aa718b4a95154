import { requireEnv } from '../../adapters/env.ts';
import { confirmReturns } from '../../app/finance.ts';
import { NoBody } from '../../core/api-schemas.ts';
import { DomainError } from '../../core/errors.ts';
import { ReconciliationIdParam } from '../../core/finance.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

/** Maker-checker on the bank's rejections: a second finance user returns their payouts to the queue. */
export const handler = apiHandler('ConfirmBankReturns', { body: NoBody }, async ({ principal, params }) => {
  const id = ReconciliationIdParam.safeParse(params.reconId);
  if (!id.success) throw new DomainError('RECONCILIATION_NOT_FOUND', 'Reconciliation not found');
  return { body: await confirmReturns(principal, id.data, systemClock) };
});
