import { requireEnv } from '../../adapters/env.ts';
import { verifyUpload } from '../../app/document-arrival.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';
import { ObjectCreated, objectKeys } from './object-created.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET');

/** A file arrived in the documents bucket: each is checked and filed or refused. */
export const handler = taskHandler('VerifyUpload', ObjectCreated, async (event) => {
  const results = [];
  for (const key of objectKeys(event)) results.push({ key, ...(await verifyUpload(key, systemClock)) });
  return { results };
});
