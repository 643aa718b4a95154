import { requireEnv } from '../../adapters/env.ts';
import { approveAdvancePayment } from '../../app/advance-payment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { AdvancePaymentBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ApproveAdvancePayment',
  { body: AdvancePaymentBody },
  async ({ principal, params, body }) => ({
    status: 201,
    body: claimSummary(await approveAdvancePayment(principal, params.claimId ?? '', body, systemClock)),
  }),
);
