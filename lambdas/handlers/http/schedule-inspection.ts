import { requireEnv } from '../../adapters/env.ts';
import { scheduleInspection } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { InspectionBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'ScheduleInspection',
  { body: InspectionBody },
  async ({ principal, params, body }) => {
    const claim = await scheduleInspection(principal, params.claimId ?? '', body, systemClock);
    return {
      status: 201,
      body: { ...claimSummary(claim), inspection: claim.inspections?.at(-1) },
      headers: { etag: `"${claim.version}"` },
    };
  },
);
