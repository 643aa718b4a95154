import { requireEnv } from '../../adapters/env.ts';
import { claimFromIntakeRecord } from '../../app/claim-from-intake.ts';
import { IntakeClaimBody } from '../../core/inbound-email.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET', 'FIELD_KEY_ID');

/** Staff make a claim of an intake record (channel `email`); the message's attachments follow it. */
export const handler = apiHandler(
  'ClaimFromIntakeRecord',
  { body: IntakeClaimBody },
  async ({ principal, params, body }) => {
    const r = await claimFromIntakeRecord(principal, params.intakeId ?? '', body, systemClock);
    return { status: 201, body: r, headers: { location: `/claims/${r.claim.claimId}` } };
  },
);
