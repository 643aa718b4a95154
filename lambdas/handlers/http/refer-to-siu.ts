import { requireEnv } from '../../adapters/env.ts';
import { referToSiu } from '../../app/siu.ts';
import { SiuReferralBody } from '../../core/fraud/siu.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ReferToSiu',
  { body: SiuReferralBody },
  async ({ principal, params, body }) => {
    const claim = await referToSiu(principal, params.claimId ?? '', body, systemClock);
    return { body: { claimId: claim.claimId, siu: claim.siu, paymentHold: claim.paymentHold ?? null } };
  },
);
