import { requireEnv } from '../../adapters/env.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { acceptPayoutAccount } from '../../app/payout-account-check.ts';
import { NoBody } from '../../core/api-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

/** The signed-in customer confirms the payout account staff typed in on their claim; its hold lifts. */
export const handler = apiHandler('AcceptPayoutAccount', { body: NoBody }, async ({ principal, params }) => {
  const claim = await acceptPayoutAccount(principal, params.claimId ?? '', systemClock);
  return {
    body: { ...claimSummary(claim), payoutAccountCheck: { status: claim.payoutAccountCheck?.status } },
  };
});
