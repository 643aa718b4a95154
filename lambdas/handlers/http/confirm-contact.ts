import { requireEnv } from '../../adapters/env.ts';
import { confirmContact } from '../../app/approval-controls.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { NoBody } from '../../core/api-schemas.ts';

requireEnv('TABLE_NAME');

/** The signed-in customer confirms the contact given on their claim; notifications then go there. */
export const handler = apiHandler('ConfirmClaimContact', { body: NoBody }, async ({ principal, params }) => {
  const claim = await confirmContact(principal, params.claimId ?? '', systemClock);
  return { body: { ...claimSummary(claim), contactCheck: claim.contactCheck } };
});
