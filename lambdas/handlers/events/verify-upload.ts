import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { verifyUpload } from '../../app/document-arrival.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'DOCUMENTS_BUCKET');

/** S3 event notifications (keys URL-encoded, `+` for spaces) or EventBridge "Object Created" events. */
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

export const handler = taskHandler('VerifyUpload', Input, async (event) => {
  const keys =
    'Records' in event
      ? event.Records.map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')))
      : [event.detail.object.key];
  const results = [];
  for (const key of keys) results.push({ key, ...(await verifyUpload(key, systemClock)) });
  return { results };
});
