import { requireEnv } from '../../adapters/env.ts';
import { documentForDownload } from '../../app/documents.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET');

export const handler = apiHandler('GetDocument', {}, async ({ principal, params }) => ({
  body: await documentForDownload(principal, params.claimId ?? '', params.documentId ?? '', systemClock),
}));
