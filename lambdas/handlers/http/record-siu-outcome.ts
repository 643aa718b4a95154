import { requireEnv } from '../../adapters/env.ts';
import { recordSiuOutcome } from '../../app/siu.ts';
import { SiuOutcomeBody } from '../../core/fraud/siu.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'RecordSiuOutcome',
  { body: SiuOutcomeBody },
  async ({ principal, params, body }) => {
    const claim = await recordSiuOutcome(principal, params.claimId ?? '', body, systemClock);
    return { body: { claimId: claim.claimId, siu: claim.siu, paymentHold: claim.paymentHold ?? null } };
  },
);
