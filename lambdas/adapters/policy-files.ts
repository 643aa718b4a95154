import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { s3 } from './aws-clients.ts';

/**
 * A policy file in the import bucket, as a byte stream (never read whole into memory). Undefined
 * when the object is gone (deleted, or replaced so that its ETag no longer matches the import's).
 */
export async function openPolicyFile(
  bucket: string,
  key: string,
  etag: string,
): Promise<Readable | undefined> {
  try {
    const r = await s3().send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(etag ? { IfMatch: etag.startsWith('"') ? etag : `"${etag}"` } : {}),
      }),
    );
    return r.Body as Readable;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (e instanceof NoSuchKey || status === 404 || status === 412) return undefined;
    throw e;
  }
}
