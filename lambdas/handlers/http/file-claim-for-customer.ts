import { requireEnv } from '../../adapters/env.ts';
import { submitClaim } from '../../app/submit-claim.ts';
import { StaffClaimBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { idempotentRequests } from '../../http/idempotency.ts';

requireEnv('TABLE_NAME', 'FIELD_KEY_ID');

/** Phone channel: the claim is the customer's, recorded as taken by this member of staff. */
export const handler = apiHandler(
  'FileClaimForCustomer',
  { body: StaffClaimBody, idempotent: idempotentRequests() },
  async (req) => {
    const role = req.principal.roles.includes('supervisor') ? 'supervisor' : 'adjuster';
    const result = await submitClaim(
      {
        report: req.body.report,
        customerId: req.body.customerId,
        channel: 'phone',
        actor: { kind: 'staff', role, id: req.principal.userId },
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
