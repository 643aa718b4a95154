import { requireEnv } from '../../adapters/env.ts';
import { answerInformationRequest } from '../../app/assessment.ts';
import { claimSummary } from '../../app/claim-view.ts';
import { InfoResponseBody } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'AnswerInformationRequest',
  { body: InfoResponseBody },
  async ({ principal, params, body }) => {
    const claim = await answerInformationRequest(
      principal,
      params.claimId ?? '',
      params.requestId ?? '',
      body.message,
      systemClock,
    );
    return { body: claimSummary(claim) };
  },
);
