import { requireEnv } from '../../adapters/env.ts';
import { revealPayoutAccount } from '../../app/payout-account.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { NoBody } from '../../core/api-schemas.ts';

requireEnv('TABLE_NAME', 'FIELD_KEY_ID');

/** Finance sees the full payout account number to pay it; every reveal is an audit event. */
export const handler = apiHandler('RevealPayoutAccount', { body: NoBody }, async ({ principal, params }) => ({
  body: await revealPayoutAccount(principal, params.claimId ?? '', systemClock),
}));
