import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from './aws-clients.ts';
import { env } from './env.ts';

/**
 * Received mail lives under `inbound/` of the documents bucket (SES's S3 action writes it there on
 * AWS, the SMTP stand-in locally). It is never deleted by the application: every record of a
 * received message points back to it.
 */
export const INBOUND_PREFIX = 'inbound/';

const bucket = () => env('DOCUMENTS_BUCKET');

/** The raw message, whole (SES accepts at most 40 MB, so it fits in a function's memory). */
export async function readRawEmail(key: string): Promise<Buffer> {
  const r = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return Buffer.from(
    await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

export async function rawEmailExists(key: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts an attachment where a browser's presigned upload would land (`claims/<claim>/<document>`):
 * from there the upload verification takes it exactly as it takes a web upload.
 */
export async function putAttachment(key: string, bytes: Buffer, contentType: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({ Bucket: bucket(), Key: key, Body: bytes, ContentType: contentType }),
  );
}
