import { requireEnv } from '../../adapters/env.ts';
import { INBOUND_PREFIX } from '../../adapters/inbound-store.ts';
import { receiveEmail } from '../../app/email-intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';
import { ObjectCreated, objectKeys } from './object-created.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET', 'EMAIL_FROM', 'FIELD_KEY_ID');

/** SES's S3 action stored a message under `inbound/`: each is read as a claim, a reply or neither. */
export const handler = taskHandler('ReceiveEmail', ObjectCreated, async (event) => {
  const results = [];
  for (const key of objectKeys(event).filter((k) => k.startsWith(INBOUND_PREFIX)))
    results.push({ key, ...(await receiveEmail(key, systemClock)) });
  return { results };
});
