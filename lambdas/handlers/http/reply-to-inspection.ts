import { requireEnv } from '../../adapters/env.ts';
import { replyToInspection } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { InspectionReplyBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ReplyToInspection',
  { body: InspectionReplyBody },
  async ({ principal, params, body }) => {
    const claim = await replyToInspection(
      principal,
      params.claimId ?? '',
      params.inspectionId ?? '',
      body,
      systemClock,
    );
    return { body: claimSummary(claim) };
  },
);
