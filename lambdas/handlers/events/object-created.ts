import * as z from 'zod/mini';

/**
 * "An object was stored" as it reaches the functions S3 triggers (upload verification, the e-mail
 * intake): an S3 event notification (the local stack's, and any bucket notification), whose keys
 * are URL-encoded with `+` for spaces, or EventBridge's "Object Created" event (CDK), whose key is
 * plain.
 */
const S3Notification = z.object({
  Records: z
    .array(z.object({ s3: z.object({ object: z.object({ key: z.string() }) }) }))
    .check(z.minLength(1)),
});
const EventBridgeObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({ object: z.object({ key: z.string() }) }),
});
export const ObjectCreated = z.union([S3Notification, EventBridgeObjectCreated]);
export type ObjectCreated = z.infer<typeof ObjectCreated>;

/** The keys of the objects an event reports, decoded. */
export const objectKeys = (event: ObjectCreated): string[] =>
  'Records' in event
    ? event.Records.map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')))
    : [event.detail.object.key];
