import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { INBOUND_PREFIX } from '../../adapters/inbound-store.ts';
import { receiveEmail } from '../../app/email-intake.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET', 'EMAIL_FROM', 'FIELD_KEY_ID');

/** SES's S3 action stored a message under `inbound/`: S3 notifications or EventBridge "Object Created". */
const S3Notification = z.object({
  Records: z
    .array(z.object({ s3: z.object({ object: z.object({ key: z.string() }) }) }))
    .check(z.minLength(1)),
});
const EventBridgeObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({ object: z.object({ key: z.string() }) }),
});
const Input = z.union([S3Notification, EventBridgeObjectCreated]);

export const handler = taskHandler('ReceiveEmail', Input, async (event) => {
  const keys =
    'Records' in event
      ? event.Records.map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')))
      : [event.detail.object.key];
  const results = [];
  for (const key of keys.filter((k) => k.startsWith(INBOUND_PREFIX)))
    results.push({ key, ...(await receiveEmail(key, systemClock)) });
  return { results };
});
