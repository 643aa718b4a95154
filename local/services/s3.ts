// S3 stand-in: s3rver 3.7.1 plus what the claims system needs from real S3 — CORS for browser
// uploads, a local access key, and ObjectCreated notifications in the real S3 event shape.
//
// s3rver alone checks no POST policy and lets a key's `..` segments climb out of their prefix on
// disk; ./s3-post-policy.ts checks browser POSTs as S3 does, and keys are stored literally (below).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { S3Event } from 'aws-lambda';
import { LOCAL_HOST } from './http.ts';
import { enforcePostPolicy } from './s3-post-policy.ts';

/** Lambda's asynchronous-invocation retries (two, as on AWS), with local-sized pauses. */
const ASYNC_RETRY_DELAYS_MS = [500, 2_000] as const;

// s3rver ships no type declarations; describe the small surface we use.
interface S3rverInstance {
  /** Koa's middleware stack (s3rver extends Koa); composed when the server starts. */
  middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => Promise<void>>;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3Event) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  httpServer?: Server;
}
interface KoaContext {
  req: Readable & { headers: IncomingHttpHeaders };
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}

// createRequire gives us the very module instances s3rver itself uses (the account registry is a
// module-level singleton inside s3rver, so a second copy would not be seen by its auth middleware).
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account.js') as { DUMMY_ACCOUNT: S3rverAccount };
const FilesystemStore = require('s3rver/lib/stores/filesystem.js') as {
  encodeKeyPath(key: string): string;
  decodeKeyPath(keyPath: string): string;
};

/**
 * S3 keys are opaque strings: `claims/A/../B/doc` is its own object, never `claims/B/doc`. s3rver
 * joins key segments into a file path, where `.`/`..` would resolve, so those segments (and `&`, the
 * escape character) are stored escaped and read back literally.
 */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((segment) => {
      const escaped = segment.replace(/&/g, '&26');
      return /^\.{1,2}$/.test(escaped) ? escaped.replace(/\./g, '&2e') : escaped;
    })
    .join('/');
}
export function decodeKeyPath(keyPath: string): string {
  return keyPath.replace(/&(26|2e)/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
FilesystemStore.encodeKeyPath = encodeKeyPath;
FilesystemStore.decodeKeyPath = decodeKeyPath;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const S3_LOCAL_DIR = join(REPO_ROOT, '.local', 's3');
/** Access key pair accepted besides s3rver's built-in `S3RVER`/`S3RVER`. */
export const LOCAL_S3_ACCESS_KEY_ID = 'local';
export const LOCAL_S3_SECRET_ACCESS_KEY = 'localsecret';
const REGION = 'ap-southeast-1';

/** CORS for browser uploads/downloads: any origin, the methods presigned URLs and POSTs use. */
const CORS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-request-id</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface S3LocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Buckets to create (with CORS) at start; existing ones are kept. */
  buckets?: string[];
  /** Data folder (default `.local/s3`). Ignored when `freshDirectory` is true. */
  directory?: string;
  /** Use a new temp folder, deleted again on stop (tests). */
  freshDirectory?: boolean;
  /** Log every request (default false). */
  verbose?: boolean;
}

export type ObjectCreatedListener = (event: S3Event) => void | Promise<void>;

export interface S3Local {
  /** e.g. `http://127.0.0.1:4568`; set it as `AWS_ENDPOINT_URL_S3`. */
  endpoint: string;
  port: number;
  directory: string;
  /**
   * Subscribes to ObjectCreated:* notifications (one record per event, key URL-encoded like AWS).
   * Returns an unsubscribe function. Listener errors are logged, never thrown into s3rver.
   */
  onObjectCreated(listener: ObjectCreatedListener): () => void;
  /** Resolves when every listener call started so far has settled (S3→Lambda is async in AWS too). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3Local(options: S3LocalOptions = {}): Promise<S3Local> {
  const directory = options.freshDirectory
    ? await mkdtemp(join(tmpdir(), 'claims-s3-'))
    : (options.directory ?? S3_LOCAL_DIR);
  // s3rver answers ListBuckets with 500 when its folder does not exist yet.
  await mkdir(directory, { recursive: true });
  DUMMY_ACCOUNT.createKeyPair(LOCAL_S3_ACCESS_KEY_ID, LOCAL_S3_SECRET_ACCESS_KEY);

  const server = new S3rver({
    address: LOCAL_HOST,
    port: options.port ?? 0,
    directory,
    silent: !options.verbose,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [CORS_XML] })),
  });

  server.middleware.unshift(decodeAwsChunkedBody);
  // Just before s3rver's router (its last middleware), after the path-style/vhost rewrite.
  server.middleware.splice(server.middleware.length - 1, 0, enforcePostPolicy as never);

  /**
   * S3 invokes its Lambda target asynchronously, and Lambda retries a failed asynchronous
   * invocation twice (about 1 and 2 minutes later on AWS; seconds here): a transient failure while
   * verifying an upload is retried, not lost.
   */
  async function deliverWithRetries(deliver: () => Promise<void> | void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await deliver();
        return;
      } catch (err) {
        if (attempt >= ASYNC_RETRY_DELAYS_MS.length) {
          console.error('[s3-local] ObjectCreated listener failed after its retries:', err);
          return;
        }
        await new Promise((r) => setTimeout(r, ASYNC_RETRY_DELAYS_MS[attempt]));
      }
    }
  }
  const listeners = new Set<ObjectCreatedListener>();
  const inFlight = new Set<Promise<void>>();
  server.on('event', (raw) => {
    for (const record of raw.Records ?? []) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const event = toAwsEvent(record);
      for (const listener of listeners) {
        const call = deliverWithRetries(() => listener(event)).finally(() => inFlight.delete(call));
        inFlight.add(call);
      }
    }
  });
  // Koa logs request errors itself (and we keep s3rver silent); keep them from crashing the process.
  server.on('error', () => {});

  const address = await server.run();
  const port = address.port;
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    directory,
    onObjectCreated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
      if (options.freshDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}

type S3EventRecord = S3Event['Records'][number];

/** Normalises s3rver's record to what AWS sends: region, bucket ARN and URL-encoded key. */
function toAwsEvent(record: S3EventRecord): S3Event {
  return {
    Records: [
      {
        ...record,
        eventVersion: '2.1',
        awsRegion: REGION,
        s3: {
          ...record.s3,
          bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
          object: { ...record.s3.object, key: encodeS3EventKey(record.s3.object.key) },
        },
      },
    ],
  };
}

/**
 * S3 notifications carry the key form-URL-encoded (space → `+`, `(` → `%28`, UTF-8 percent-encoded)
 * with `/` left as is, so handlers must `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/**
 * SDK v3 uploads streams of known length as `aws-chunked` bodies with a trailing checksum
 * (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`). Real S3 decodes that framing; s3rver
 * would store the framing bytes verbatim and silently corrupt the object, so we decode it in front of
 * s3rver. That way handler code needs no `requestChecksumCalculation: 'WHEN_REQUIRED'` just for local.
 */
async function decodeAwsChunkedBody(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
  const headers = ctx.req.headers;
  const encodings = String(headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  if (encodings.includes('aws-chunked') || sha.startsWith('STREAMING-')) {
    const rest = encodings.filter((e) => e !== 'aws-chunked');
    if (rest.length > 0) headers['content-encoding'] = rest.join(',');
    else delete headers['content-encoding'];
    const decodedLength = headers['x-amz-decoded-content-length'];
    if (decodedLength !== undefined) headers['content-length'] = String(decodedLength);
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const original = ctx.req;
    const decoder = new AwsChunkedDecoder();
    original.on('error', (err) => decoder.destroy(err));
    ctx.req = Object.assign(original.pipe(decoder), { headers });
  }
  await next();
}

/** Strips `aws-chunked` framing: `<hex-size>[;ext]\r\n<data>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = -1; // bytes of chunk data still expected; -1 = expecting a size line
  private done = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.drain();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.done ? null : new Error('Truncated aws-chunked body'));
  }

  private drain(): void {
    while (!this.done) {
      if (this.remaining < 0) {
        const eol = this.buffer.indexOf('\r\n');
        if (eol < 0) return;
        const sizeField = this.buffer.subarray(0, eol).toString('latin1').split(';')[0]!.trim();
        const size = Number.parseInt(sizeField, 16);
        if (!Number.isFinite(size) || size < 0) throw new Error(`Bad aws-chunked size "${sizeField}"`);
        this.buffer = this.buffer.subarray(eol + 2);
        if (size === 0) {
          this.done = true; // trailers (checksums) follow; they are not part of the object
          return;
        }
        this.remaining = size;
      }
      if (this.buffer.length < this.remaining + 2) {
        // Pass data through as it arrives, keeping back what could be the chunk's CRLF.
        const emit = Math.min(this.buffer.length, this.remaining);
        if (emit > 0) {
          this.push(this.buffer.subarray(0, emit));
          this.buffer = this.buffer.subarray(emit);
          this.remaining -= emit;
        }
        if (this.remaining > 0 || this.buffer.length < 2) return;
      }
      if (this.remaining > 0) this.push(this.buffer.subarray(0, this.remaining));
      this.buffer = this.buffer.subarray(this.remaining + 2);
      this.remaining = -1;
    }
  }
}
