import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { verifyPayoutAccount } from '../../app/payout-account-check.ts';
import { VerifyPayoutAccountBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

/** A supervisor who did not work on the claim verified the staff-typed payout account by phone. */
export const handler = apiHandler(
  'VerifyPayoutAccount',
  { body: VerifyPayoutAccountBody },
  async ({ principal, params, body }) => {
    const claim = await verifyPayoutAccount(principal, params.claimId ?? '', body, systemClock);
    return {
      body: { ...claimSummary(claim), payoutAccountCheck: claim.payoutAccountCheck },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
