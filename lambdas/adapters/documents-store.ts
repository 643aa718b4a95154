import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { guardPresigned, s3 } from './aws-clients.ts';
import { env } from './env.ts';

const bucket = () => env('DOCUMENTS_BUCKET');

export interface UploadTicket {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/**
 * A presigned POST bound to one key, one content type and a size range (S3, and the local
 * stand-in, refuse a form that breaks it). The policy checks nothing about the bytes themselves, so
 * every object is verified again when it lands (see app/verify-upload.ts).
 */
export async function presignUpload(
  key: string,
  contentType: string,
  maxBytes: number,
  expiresSeconds: number,
  now: Date,
): Promise<UploadTicket> {
  guardPresigned('S3', 'PutObject', { Bucket: bucket(), Key: key });
  const { url, fields } = await createPresignedPost(s3(), {
    Bucket: bucket(),
    Key: key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', contentType],
      ['eq', '$key', key],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: expiresSeconds,
  });
  return { url, fields, expiresAt: new Date(now.getTime() + expiresSeconds * 1000).toISOString() };
}

/** What a browser may show inline: images and PDFs (detected from the bytes, not declared). */
const INLINE_TYPES = /^(image\/(png|jpeg|webp|heic|heif)|application\/pdf)$/;

/**
 * A short-lived download link. Images and PDFs open inline with their detected type; anything else
 * (XML e-invoices) downloads as an attachment of a neutral type, so a file is never rendered as a
 * page of our origin. The response is never cached (`private, no-store`).
 */
export async function presignDownload(
  key: string,
  fileName: string,
  detectedType?: string,
  expiresSeconds = 300,
): Promise<string> {
  const inline = detectedType !== undefined && INLINE_TYPES.test(detectedType);
  return getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ResponseContentDisposition: `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      ResponseContentType: inline ? detectedType : 'application/octet-stream',
      // A claim's medical report or ID card must not stay in a shared browser's or proxy's cache
      // after the five minutes the link lives.
      ResponseCacheControl: 'private, no-store',
    }),
    { expiresIn: expiresSeconds },
  );
}

export interface StoredObject {
  size: number;
  head: Uint8Array;
  sha256: string;
}

/**
 * Reads an object once, streaming: its size, its first bytes (for magic-number detection) and its
 * SHA-256. Stops reading past `maxBytes` so an oversized upload cannot exhaust memory.
 */
export async function inspectObject(
  key: string,
  maxBytes: number,
  headBytes = 4100,
): Promise<StoredObject | 'TOO_LARGE'> {
  const head = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
  if ((head.ContentLength ?? 0) > maxBytes) return 'TOO_LARGE';
  const obj = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  const hash = createHash('sha256');
  const first: Uint8Array[] = [];
  let firstLen = 0;
  let size = 0;
  for await (const chunk of obj.Body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) return 'TOO_LARGE';
    hash.update(chunk);
    if (firstLen < headBytes) {
      first.push(chunk.subarray(0, headBytes - firstLen));
      firstLen += Math.min(chunk.length, headBytes - firstLen);
    }
  }
  return { size, head: Buffer.concat(first), sha256: hash.digest('hex') };
}

/**
 * Copies an object under a new key with a reason, leaving the source (a landing-zone upload, which
 * a lifecycle rule expires): what was copied is what gets judged and served.
 */
export async function copyObject(fromKey: string, toKey: string, reason: string): Promise<void> {
  await s3().send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: toKey,
      CopySource: `${bucket()}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      MetadataDirective: 'REPLACE',
      Metadata: { reason, 'original-key': fromKey },
    }),
  );
}

/**
 * Copies an object aside unless something is already under `toKey` (a HeadObject first): the
 * first copy is kept, later ones are not made. Returns whether it copied.
 */
export async function copyObjectOnce(fromKey: string, toKey: string, reason: string): Promise<boolean> {
  try {
    await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: toKey }));
    return false;
  } catch (e) {
    if (!(e instanceof NotFound || (e as { name?: string }).name === 'NotFound')) throw e;
  }
  await copyObject(fromKey, toKey, reason);
  return true;
}

/** Moves an object aside (copy then delete); rejected files are kept, never destroyed. */
export async function moveObject(fromKey: string, toKey: string, reason: string): Promise<void> {
  await s3().send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: toKey,
      CopySource: `${bucket()}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      MetadataDirective: 'REPLACE',
      Metadata: { 'quarantine-reason': reason, 'original-key': fromKey },
    }),
  );
  await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: fromKey }));
}
