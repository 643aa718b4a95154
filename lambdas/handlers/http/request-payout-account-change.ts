import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { requestPayoutAccountChange } from '../../app/payout-account-request.ts';
import { BankAccount } from '../../core/claim.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'FIELD_KEY_ID', 'EMAIL_FROM');

export const handler = apiHandler(
  'RequestPayoutAccountChange',
  { body: BankAccount },
  async ({ principal, params, body }) => ({
    status: 202,
    body: claimSummary(await requestPayoutAccountChange(principal, params.claimId ?? '', body, systemClock)),
  }),
);
