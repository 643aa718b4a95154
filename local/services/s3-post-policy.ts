// Browser-based POST uploads checked the way Amazon S3 checks them, in front of s3rver (which
// stores whatever a form names). The rules follow S3's documentation of POST policies
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html):
// the base64 `Policy` is signed with SigV4 by the credential in `x-amz-credential`; it must not be
// past its `expiration`; every condition must hold; and every form field before the file, except
// `policy`, `x-amz-signature`, `file` and `x-ignore-*`, must be covered by a condition.
// A failure answers S3's error XML and nothing is stored.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error.js') as new (
  code: string,
  message: string,
  detail?: Record<string, unknown>,
) => Error;
const AWSAccount = require('s3rver/lib/models/account.js') as {
  registry: Map<string, { accessKeys: Map<string, string> }>;
};
type BusboyInstance = NodeJS.WritableStream & {
  on(event: 'field', listener: (name: string, value: string) => void): BusboyInstance;
  on(event: 'file', listener: (name: string, stream: Readable) => void): BusboyInstance;
  on(event: 'finish', listener: () => void): BusboyInstance;
  on(event: 'error', listener: (err: Error) => void): BusboyInstance;
};
// s3rver's own multipart parser, so both read the form the same way.
const Busboy = createRequire(require.resolve('s3rver'))('busboy') as new (options: {
  headers: IncomingHttpHeaders;
}) => BusboyInstance;

/** S3 refuses a POST whose form before the file is larger than this (MaxPostPreDataLengthExceeded). */
const MAX_PRE_DATA_BYTES = 20 * 1024;
/** What the local stand-in buffers at most; far above any ticket the claims system issues. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Fields S3 does not require a condition for. */
const EXEMPT_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);

export interface PostForm {
  /** Fields before the file, names lower-cased (S3 matches form field names case-insensitively). */
  fields: Map<string, string>;
  fileSize: number;
}

type Condition = Record<string, unknown> | unknown[];

const denied = (message: string) => new S3Error('AccessDenied', message);
const conditionFailed = (c: Condition) =>
  denied(`Invalid according to Policy: Policy Condition failed: ${formatCondition(c)}`);

function formatCondition(c: Condition): string {
  if (Array.isArray(c)) return `[${c.map((x) => JSON.stringify(x)).join(', ')}]`;
  const [name, value] = Object.entries(c)[0] ?? ['', ''];
  return `["eq", "$${name}", ${JSON.stringify(value)}]`;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Throws S3's error for the first rule the form breaks; returns when S3 would accept it. */
export function checkPostPolicy(bucket: string, form: PostForm, now: Date = new Date()): void {
  const f = form.fields;
  const policyB64 = f.get('policy');
  const signature = f.get('x-amz-signature');
  if (!policyB64 || !signature) throw denied('Access Denied');
  if (f.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Error('InvalidArgument', 'Only AWS4-HMAC-SHA256 POST signatures are supported', {
      ArgumentName: 'x-amz-algorithm',
      ArgumentValue: f.get('x-amz-algorithm') ?? '',
    });
  }
  const credential = f.get('x-amz-credential') ?? '';
  const [accessKeyId, date, region, service, terminal] = credential.split('/');
  const amzDate = f.get('x-amz-date') ?? '';
  const secret = accessKeyId ? AWSAccount.registry.get(accessKeyId)?.accessKeys.get(accessKeyId) : undefined;
  if (!secret) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: accessKeyId ?? '',
      },
    );
  }
  if (!date || !region || service !== 's3' || terminal !== 'aws4_request' || !amzDate.startsWith(date)) {
    throw new S3Error('InvalidArgument', 'Invalid x-amz-credential or x-amz-date', {
      ArgumentName: 'x-amz-credential',
      ArgumentValue: credential,
    });
  }
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), terminal);
  const expected = hmac(signingKey, policyB64).toString('hex');
  if (
    expected.length !== signature.length ||
    !timingSafeEqual(Buffer.from(expected), Buffer.from(signature.toLowerCase()))
  ) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw denied('Invalid Policy: Invalid JSON.');
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : Number.NaN;
  if (!Number.isFinite(expiration)) throw denied('Invalid Policy: Policy missing expiration.');
  if (now.getTime() > expiration) throw denied('Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions)) throw denied('Invalid Policy: Policy missing conditions.');

  const covered = new Set<string>();
  const fieldValue = (name: string) => (name === 'bucket' ? bucket : f.get(name));
  for (const c of policy.conditions as Condition[]) {
    if (Array.isArray(c)) {
      const [op, a, b] = c;
      if (op === 'content-length-range') {
        const min = Number(a);
        const max = Number(b);
        if (form.fileSize > max) {
          throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
            ProposedSize: form.fileSize,
            MaxSizeAllowed: max,
          });
        }
        if (form.fileSize < min) {
          throw new S3Error(
            'EntityTooSmall',
            'Your proposed upload is smaller than the minimum allowed size',
            {
              ProposedSize: form.fileSize,
              MinSizeAllowed: min,
            },
          );
        }
        continue;
      }
      if ((op !== 'eq' && op !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$')) {
        throw denied(`Invalid Policy: Invalid Condition: ${formatCondition(c)}`);
      }
      const name = a.slice(1).toLowerCase();
      covered.add(name);
      const actual = fieldValue(name);
      const wanted = String(b ?? '');
      const ok = actual !== undefined && (op === 'eq' ? actual === wanted : actual.startsWith(wanted));
      if (!ok) throw conditionFailed(c);
    } else if (c && typeof c === 'object') {
      for (const [rawName, wanted] of Object.entries(c)) {
        const name = rawName.toLowerCase();
        covered.add(name);
        if (fieldValue(name) !== String(wanted)) throw conditionFailed({ [rawName]: wanted });
      }
    } else {
      throw denied('Invalid Policy: Invalid Condition.');
    }
  }
  const extra = [...f.keys()].filter(
    (name) => !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && !covered.has(name),
  );
  if (extra.length > 0) throw denied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
}

/** Reads a multipart form the way S3 does: fields up to the first `file`, then the file's size. */
export function readPostForm(headers: IncomingHttpHeaders, body: Buffer): Promise<PostForm> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let fileSize = -1;
    let preData = 0;
    const busboy = new Busboy({ headers });
    busboy.on('field', (name, value) => {
      if (fileSize >= 0) return; // S3 ignores everything after the file
      if (name === 'file') {
        fileSize = Buffer.byteLength(value);
        return;
      }
      preData += name.length + value.length;
      fields.set(name.toLowerCase(), value);
    });
    busboy.on('file', (name, stream) => {
      if (name !== 'file' || fileSize >= 0) {
        stream.resume();
        return;
      }
      fileSize = 0;
      stream.on('data', (chunk: Buffer) => {
        fileSize += chunk.length;
      });
    });
    busboy.on('error', reject);
    busboy.on('finish', () => {
      if (preData > MAX_PRE_DATA_BYTES) {
        reject(
          new S3Error(
            'MaxPostPreDataLengthExceeded',
            'Your POST request fields preceeding the upload file was too large.',
            {
              MaxPostPreDataLength: MAX_PRE_DATA_BYTES,
            },
          ),
        );
        return;
      }
      if (fileSize < 0) {
        reject(
          new S3Error('InvalidArgument', 'POST requires exactly one file upload per request.', {
            ArgumentName: 'file',
            ArgumentValue: 0,
          }),
        );
        return;
      }
      resolve({ fields, fileSize });
    });
    Readable.from([body]).pipe(busboy);
  });
}

interface PolicyContext {
  method: string;
  path: string;
  querystring: string;
  req: Readable & { headers: IncomingHttpHeaders };
  set(name: string, value: string): void;
}

/**
 * Koa middleware for s3rver: a form POST to `/<bucket>` is buffered, checked, and only then handed
 * on to s3rver (which re-reads the same bytes). Other requests pass untouched.
 */
export async function enforcePostPolicy(ctx: PolicyContext, next: () => Promise<void>): Promise<void> {
  const segments = ctx.path.split('/').filter(Boolean);
  const contentType = String(ctx.req.headers['content-type'] ?? '');
  if (
    ctx.method !== 'POST' ||
    segments.length !== 1 ||
    ctx.querystring !== '' ||
    !contentType.startsWith('multipart/form-data')
  ) {
    await next();
    return;
  }
  const bucket = decodeURIComponent(segments[0]!);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
        ProposedSize: size,
        MaxSizeAllowed: MAX_BODY_BYTES,
      });
    }
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  // Browsers read the error too: answer with the bucket's CORS rule (any origin) on refusals.
  if (ctx.req.headers.origin) ctx.set('Access-Control-Allow-Origin', '*');
  const form = await readPostForm(ctx.req.headers, body);
  checkPostPolicy(bucket, form);
  const headers = { ...ctx.req.headers, 'content-length': String(body.length) };
  ctx.req = Object.assign(Readable.from([body]), { headers });
  await next();
}
