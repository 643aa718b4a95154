import { requireEnv } from '../../adapters/env.ts';
import { submitClaim } from '../../app/submit-claim.ts';
import { SubmitClaimRequest } from '../../core/claim.ts';
import { DomainError } from '../../core/errors.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { idempotentRequests } from '../../http/idempotency.ts';

requireEnv('TABLE_NAME', 'FIELD_KEY_ID');

export const handler = apiHandler(
  'SubmitClaim',
  { body: SubmitClaimRequest, idempotent: idempotentRequests() },
  async (req) => {
    const { principal } = req;
    if (!principal.customerId)
      throw new DomainError('FORBIDDEN', 'No customer record is linked to this account');
    const result = await submitClaim(
      {
        report: req.body,
        customerId: principal.customerId,
        channel: 'web',
        actor: { kind: 'customer', id: principal.userId },
        idempotencyKey: req.headers['idempotency-key'] ?? '',
      },
      systemClock,
    );
    return {
      status: result.created ? 201 : 200,
      body: result.claim,
      headers: { location: `/claims/${result.claim.claimId}` },
    };
  },
);
