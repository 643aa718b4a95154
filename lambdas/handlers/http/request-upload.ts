import { requireEnv } from '../../adapters/env.ts';
import { requestUpload } from '../../app/documents.ts';
import { RequestUploadBody } from '../../core/api-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET');

export const handler = apiHandler(
  'RequestUpload',
  { body: RequestUploadBody },
  async ({ principal, params, body }) => ({
    status: 201,
    body: await requestUpload(principal, params.claimId ?? '', body, systemClock),
  }),
);
