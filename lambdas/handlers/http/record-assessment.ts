import { requireEnv } from '../../adapters/env.ts';
import { recordAssessment } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { RecordAssessmentBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'RecordAssessment',
  { body: RecordAssessmentBody },
  async ({ principal, params, body }) => {
    const claim = await recordAssessment(principal, params.claimId ?? '', body, systemClock);
    return {
      body: { ...claimSummary(claim), assessment: claim.assessment },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
