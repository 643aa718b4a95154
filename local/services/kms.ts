// KMS stand-in for field-level envelope encryption.
//
// Speaks the AWS JSON 1.1 protocol @aws-sdk/client-kms uses (`POST /`, `X-Amz-Target:
// TrentService.<Op>`, `application/x-amz-json-1.1`, blobs as base64), with errors in AWS's shape
// (`{"__type": "InvalidCiphertextException", "message": …}`). Only what the adapters call is
// implemented: GenerateDataKey and Decrypt (field crypto), GenerateMac and VerifyMac (fingerprints,
// audit anchors), with KMS's encryption-context rule (Decrypt
// succeeds only with exactly the context the data key was generated under) and KeyId pinning on
// Decrypt (IncorrectKeyException). A ciphertext blob here is our own format (key id, IV, GCM tag,
// sealed key), as opaque to callers as a real one.
//
// Local simplifications: the key material of each key is derived from its alias (so values sealed
// in a persistent DynamoDB Local stay readable after a restart; it protects demo data only, never
// real data); no key policy, grants, rotation or signature checks.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  closeServer,
  createJsonServer,
  HttpError,
  isRecord,
  LOCAL_HOST,
  listen,
  readJsonBody,
  sendJson,
} from './http.ts';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAGIC = Buffer.from('LKMS1');

export interface KmsLocalOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Aliases of the symmetric keys that exist from the start, e.g. `alias/claims-fields`. */
  aliases: readonly string[];
  region?: string;
  accountId?: string;
}

export interface KmsLocal {
  /** Set it as `AWS_ENDPOINT_URL_KMS`. */
  endpoint: string;
  port: number;
  /** The key ARN behind an alias. */
  keyArn(alias: string): string;
  /** How many times each operation was called (tests check the data-key cache with it). */
  calls(): Record<string, number>;
  stop(): Promise<void>;
}

interface LocalKey {
  keyId: string;
  arn: string;
  alias: string;
  material: Buffer;
}

const awsError = (code: string, message: string, status = 400) => new HttpError(status, code, message);

/** Deterministic JSON of an encryption context (KMS treats it as an unordered map). */
const contextBytes = (ctx: unknown): Buffer => {
  if (ctx === undefined) return Buffer.alloc(0);
  if (!isRecord(ctx) || Object.values(ctx).some((v) => typeof v !== 'string'))
    throw awsError('ValidationException', 'EncryptionContext must be a map of strings');
  const sorted = Object.keys(ctx)
    .sort()
    .map((k) => [k, ctx[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
};

const blob = (v: unknown, name: string): Buffer => {
  if (typeof v !== 'string' || v === '')
    throw awsError('ValidationException', `1 validation error detected: Value at '${name}' must not be null`);
  return Buffer.from(v, 'base64');
};

export async function startKmsLocal(options: KmsLocalOptions): Promise<KmsLocal> {
  const region = options.region ?? 'ap-southeast-1';
  const accountId = options.accountId ?? '000000000000';
  const keys = new Map<string, LocalKey>();
  const counts: Record<string, number> = {};
  for (const alias of options.aliases) {
    const digest = createHash('sha256').update(`local-kms:${alias}`).digest();
    const hex = digest.subarray(0, 16).toString('hex');
    const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    keys.set(keyId, {
      keyId,
      alias,
      arn: `arn:aws:kms:${region}:${accountId}:key/${keyId}`,
      material: createHash('sha256').update(`local-kms-material:${alias}`).digest(),
    });
  }

  /** A key by id, ARN, alias name or alias ARN, as KMS accepts them. */
  const find = (ref: unknown): LocalKey => {
    if (typeof ref !== 'string' || ref === '') throw awsError('ValidationException', 'KeyId is required');
    const bare = ref.startsWith('arn:') ? (ref.split(':').slice(5).join(':') ?? '') : ref;
    const key = [...keys.values()].find(
      (k) => k.keyId === bare || `key/${k.keyId}` === bare || k.alias === bare || k.alias === ref,
    );
    if (!key) throw awsError('NotFoundException', `Key '${ref}' does not exist`);
    return key;
  };

  const operations: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    GenerateDataKey(p) {
      const key = find(p.KeyId);
      const size = p.KeySpec === 'AES_128' ? 16 : p.KeySpec === 'AES_256' ? 32 : Number(p.NumberOfBytes);
      if (!Number.isInteger(size) || size < 1 || size > 1024)
        throw awsError('ValidationException', 'Specify KeySpec or NumberOfBytes (1-1024)');
      const plaintext = randomBytes(size);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.material, iv);
      cipher.setAAD(contextBytes(p.EncryptionContext));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const id = Buffer.from(key.keyId, 'utf8');
      const ciphertext = Buffer.concat([
        MAGIC,
        Buffer.from([id.length]),
        id,
        iv,
        cipher.getAuthTag(),
        sealed,
      ]);
      return {
        KeyId: key.arn,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: ciphertext.toString('base64'),
      };
    },
    // An HMAC key's GenerateMac (HMAC_SHA_256): a keyed fingerprint, equal for equal messages.
    GenerateMac(p) {
      const key = find(p.KeyId);
      if (p.MacAlgorithm !== 'HMAC_SHA_256')
        throw awsError('InvalidKeyUsageException', 'Only HMAC_SHA_256 is supported locally');
      const message = blob(p.Message, 'message');
      if (message.length < 1 || message.length > 4096)
        throw awsError('ValidationException', 'Message must be 1-4096 bytes');
      return {
        KeyId: key.arn,
        MacAlgorithm: 'HMAC_SHA_256',
        Mac: createHmac('sha256', key.material).update(message).digest('base64'),
      };
    },
    // VerifyMac: KMS computes the MAC again and compares in constant time. A match answers
    // `MacValid: true`; a mismatch is never `false` but the error `KMSInvalidMacException`.
    VerifyMac(p) {
      const key = find(p.KeyId);
      if (p.MacAlgorithm !== 'HMAC_SHA_256')
        throw awsError('InvalidKeyUsageException', 'Only HMAC_SHA_256 is supported locally');
      const message = blob(p.Message, 'message');
      if (message.length < 1 || message.length > 4096)
        throw awsError('ValidationException', 'Message must be 1-4096 bytes');
      const mac = blob(p.Mac, 'mac');
      const expected = createHmac('sha256', key.material).update(message).digest();
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected))
        throw awsError('KMSInvalidMacException', 'The MAC does not match the message and key');
      return { KeyId: key.arn, MacAlgorithm: 'HMAC_SHA_256', MacValid: true };
    },
    Decrypt(p) {
      const data = blob(p.CiphertextBlob, 'ciphertextBlob');
      const invalid = () => awsError('InvalidCiphertextException', 'The ciphertext is invalid');
      if (data.length < MAGIC.length + 1 || !data.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid();
      const idLength = data[MAGIC.length] ?? 0;
      const idStart = MAGIC.length + 1;
      const keyId = data.subarray(idStart, idStart + idLength).toString('utf8');
      const key = keys.get(keyId);
      if (!key) throw invalid();
      if (p.KeyId !== undefined && find(p.KeyId).keyId !== key.keyId) {
        throw awsError(
          'IncorrectKeyException',
          'The key ID in the request does not identify the key that encrypted',
        );
      }
      const ivStart = idStart + idLength;
      const iv = data.subarray(ivStart, ivStart + 12);
      const tag = data.subarray(ivStart + 12, ivStart + 28);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
        decipher.setAAD(contextBytes(p.EncryptionContext));
        decipher.setAuthTag(tag);
        const plaintext = Buffer.concat([decipher.update(data.subarray(ivStart + 28)), decipher.final()]);
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      } catch (e) {
        if (e instanceof HttpError) throw e;
        // Wrong encryption context or a tampered blob: KMS says only this.
        throw invalid();
      }
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = { 'x-amzn-requestid': randomUUID() };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST')
        throw awsError('UnknownOperationException', 'Use POST with X-Amz-Target', 404);
      const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const op = operations[name];
      if (!op) throw awsError('UnknownOperationException', `Unknown operation ${target}`);
      const body = await readJsonBody(req);
      if (!isRecord(body)) throw awsError('SerializationException', 'Body must be a JSON object');
      counts[name] = (counts[name] ?? 0) + 1;
      sendJson(res, 200, op(body), headers, CONTENT_TYPE);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendJson(res, err.status, { __type: err.code, message: err.message }, headers, CONTENT_TYPE);
    }
  };

  const server = createJsonServer(handle, 'kms-local');
  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    port,
    keyArn: (alias) => find(alias).arn,
    calls: () => ({ ...counts }),
    stop: () => closeServer(server),
  };
}
