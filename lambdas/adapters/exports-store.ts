import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from './aws-clients.ts';
import { EXPORTS_PREFIX } from '../shared/exports.ts';
import { env } from './env.ts';

/**
 * Finance files (bank transfer batches, the bank's confirmation files) under `exports/` of their
 * own bucket variable, so a function is granted exactly the `exports/*` keys (lib/claims-function.ts).
 */
const bucket = () => env('EXPORTS_BUCKET');
export { EXPORTS_PREFIX };

/** S3's smallest part but the last is 5 MiB (10,000 parts: 50 GiB a file, far above any batch). */
const PART_BYTES = 5 * 1024 * 1024;

/**
 * A Writable that streams into one S3 object by multipart upload (there is no @aws-sdk/lib-storage
 * in this project). Memory stays at one part: a write is acknowledged only once a full part is
 * uploaded, which is the back-pressure the producers wait on. On error the upload is aborted so no
 * half-written object or orphaned parts remain.
 */
export class S3MultipartWritable extends Writable {
  private uploadId: string | undefined;
  /** One part buffer, allocated once and reused: a sink costs `partBytes` of memory, no more. */
  private readonly part: Buffer;
  private buffered = 0;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  bytes = 0;

  constructor(
    private readonly key: string,
    private readonly contentType: string,
    private readonly partBytes = PART_BYTES,
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.part = Buffer.allocUnsafe(partBytes);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    s3()
      .send(
        new CreateMultipartUploadCommand({ Bucket: bucket(), Key: this.key, ContentType: this.contentType }),
      )
      .then((r) => {
        this.uploadId = r.UploadId;
        callback();
      }, callback);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    this.append(chunk, 0).then(() => callback(), callback);
  }

  /** Copies the chunk into the part buffer, uploading each time it fills. */
  private async append(chunk: Buffer, from: number): Promise<void> {
    let at = from;
    while (at < chunk.length) {
      const n = chunk.copy(this.part, this.buffered, at);
      this.buffered += n;
      at += n;
      if (this.buffered === this.partBytes) await this.flushPart();
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      if (this.buffered > 0 || this.parts.length === 0) await this.flushPart();
      await s3().send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket(),
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      );
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!error || !this.uploadId) {
      callback(error);
      return;
    }
    s3()
      .send(new AbortMultipartUploadCommand({ Bucket: bucket(), Key: this.key, UploadId: this.uploadId }))
      .finally(() => callback(error));
  }

  private async flushPart(): Promise<void> {
    const PartNumber = this.parts.length + 1;
    // The part buffer is only reused after the upload of its bytes has completed.
    const r = await s3().send(
      new UploadPartCommand({
        Bucket: bucket(),
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        Body: this.part.subarray(0, this.buffered),
      }),
    );
    this.buffered = 0;
    this.parts.push({ ETag: r.ETag ?? '', PartNumber });
  }
}

/** Keeps a small file (the bank's confirmation file) as it was received. */
export async function putExport(key: string, body: string, contentType: string): Promise<void> {
  await s3().send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
}

/** A short-lived (≤ 5 minutes) download link that saves the file under `fileName`. */
export async function presignExportDownload(key: string, fileName: string, expiresSeconds = 300) {
  const seconds = Math.min(expiresSeconds, 300);
  const url = await getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    }),
    { expiresIn: seconds },
  );
  return { url, expiresInSeconds: seconds };
}
