import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { confirmPayoutAccountChange } from '../../app/payout-account.ts';
import { ConfirmPayoutAccountBody } from '../../core/payout-account.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ConfirmPayoutAccountChange',
  { body: ConfirmPayoutAccountBody },
  async ({ principal, params, body }) => ({
    body: claimSummary(
      await confirmPayoutAccountChange(principal, params.claimId ?? '', body.code, systemClock),
    ),
  }),
);
