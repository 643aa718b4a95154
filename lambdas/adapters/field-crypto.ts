import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, GenerateMacCommand } from '@aws-sdk/client-kms';
import { canonicalJson } from '../core/events.ts';
import type { FieldContext, FieldPurpose, SealedField } from '../core/payout-account.ts';
import { kms } from './aws-clients.ts';
import { env, perExecutionEnvironment } from './env.ts';

/**
 * Field-level envelope encryption (AES-256-GCM, node:crypto) for personal data held in the table.
 *
 * A 256-bit data key comes from KMS `GenerateDataKey` under the field key (`FIELD_KEY_ID`); its
 * encrypted form is stored with every value it seals, and KMS `Decrypt` recovers it to read. The
 * plaintext data key is cached in memory for a bounded time and number of uses, so a busy function
 * calls KMS about once every few minutes rather than once per claim, and one leaked data key
 * exposes a bounded set of values.
 *
 * Binding: the KMS encryption context is `{app, purpose}` (constant per purpose, which is what lets
 * a cached data key serve many claims, and what the IAM condition on the key grant matches); the
 * full field context `{claimId, purpose}` is the GCM additional authenticated data, so a ciphertext
 * copied onto another claim, or used for another purpose, fails to open. Locally the KMS stand-in
 * (local/services/kms.ts) answers the same two calls, so this very code runs there too.
 */

export interface DataKey {
  plaintext: Buffer;
  /** KMS `CiphertextBlob` of the data key. */
  encrypted: Buffer;
}

/** Where data keys come from: KMS on AWS and locally (the stand-in); an in-memory source in unit tests. */
export interface DataKeySource {
  generate(context: Record<string, string>): Promise<DataKey>;
  decrypt(encrypted: Buffer, context: Record<string, string>): Promise<Buffer>;
}

/** A sealed value did not open: wrong claim or purpose, tampered with, or a different key. */
export class FieldDecryptionError extends Error {
  override readonly name = 'FieldDecryptionError';
}

export interface FieldCryptoLimits {
  /** How long a plaintext data key may be used to seal (default 5 minutes). */
  maxKeyAgeMs?: number;
  /** How many values one data key may seal (default 1000). */
  maxKeyUses?: number;
  /** How many decrypted data keys to keep for opening (default 50). */
  maxOpenKeys?: number;
  now?: () => number;
}

export interface FieldCrypto {
  seal(plaintext: string, context: FieldContext): Promise<SealedField>;
  open(sealed: SealedField, context: FieldContext): Promise<string>;
}

const kmsContext = (purpose: string) => ({ app: 'claims', purpose });
const aad = (context: FieldContext) => Buffer.from(canonicalJson({ alg: 'AES-256-GCM', ...context }), 'utf8');

export function createFieldCrypto(keys: DataKeySource, limits: FieldCryptoLimits = {}): FieldCrypto {
  const maxAge = limits.maxKeyAgeMs ?? 5 * 60_000;
  const maxUses = limits.maxKeyUses ?? 1000;
  const maxOpen = limits.maxOpenKeys ?? 50;
  const now = limits.now ?? Date.now;
  const sealing = new Map<string, { key: Promise<DataKey>; expiresAt: number; uses: number }>();
  const opening = new Map<string, { key: Promise<Buffer>; expiresAt: number }>();

  const sealingKey = (purpose: string): Promise<DataKey> => {
    const cached = sealing.get(purpose);
    if (cached && cached.expiresAt > now() && cached.uses < maxUses) {
      cached.uses += 1;
      return cached.key;
    }
    // Concurrent seals share one KMS call; a failed call is not cached.
    const key = keys.generate(kmsContext(purpose));
    const entry = { key, expiresAt: now() + maxAge, uses: 1 };
    sealing.set(purpose, entry);
    key.catch(() => sealing.get(purpose) === entry && sealing.delete(purpose));
    return key;
  };

  const openingKey = (edk: string, purpose: string): Promise<Buffer> => {
    const id = `${purpose}:${edk}`;
    const cached = opening.get(id);
    if (cached && cached.expiresAt > now()) return cached.key;
    if (opening.size >= maxOpen) {
      const oldest = opening.keys().next().value;
      if (oldest !== undefined) opening.delete(oldest);
    }
    const key = keys.decrypt(Buffer.from(edk, 'base64'), kmsContext(purpose));
    opening.set(id, { key, expiresAt: now() + maxAge });
    key.catch(() => opening.delete(id));
    return key;
  };

  return {
    async seal(plaintext, context) {
      const dataKey = await sealingKey(context.purpose);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
      cipher.setAAD(aad(context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        alg: 'AES-256-GCM',
        edk: dataKey.encrypted.toString('base64'),
        iv: iv.toString('base64'),
        ct: ct.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    async open(sealed, context) {
      if (sealed?.alg !== 'AES-256-GCM') throw new FieldDecryptionError('Not a sealed field');
      let key: Buffer;
      try {
        key = await openingKey(sealed.edk, context.purpose);
      } catch (e) {
        const name = (e as Error).name;
        // KMS refuses a data key whose encryption context (purpose) does not match.
        if (name === 'InvalidCiphertextException' || name === 'IncorrectKeyException') {
          throw new FieldDecryptionError(`The field's data key did not open (${name})`);
        }
        throw e;
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(aad(context));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new FieldDecryptionError('The sealed field does not belong to this claim and purpose');
      }
    },
  };
}

/** Data keys from KMS (on AWS, and from the local stand-in through AWS_ENDPOINT_URL_KMS). */
export function kmsDataKeys(keyId: () => string): DataKeySource {
  return {
    async generate(context) {
      const r = await kms().send(
        new GenerateDataKeyCommand({ KeyId: keyId(), KeySpec: 'AES_256', EncryptionContext: context }),
      );
      if (!r.Plaintext || !r.CiphertextBlob) throw new Error('KMS returned no data key');
      return { plaintext: Buffer.from(r.Plaintext), encrypted: Buffer.from(r.CiphertextBlob) };
    },
    async decrypt(encrypted, context) {
      // KeyId pins the key: a blob from any other key is refused rather than decrypted with it.
      const r = await kms().send(
        new DecryptCommand({ KeyId: keyId(), CiphertextBlob: encrypted, EncryptionContext: context }),
      );
      if (!r.Plaintext) throw new Error('KMS returned no plaintext');
      return Buffer.from(r.Plaintext);
    },
  };
}

const fieldKeyId = () => env('FIELD_KEY_ID');

/**
 * The field crypto of this execution environment (one data-key cache per function). Marked pure so a
 * bundle that imports this module but never opens a field (a payment batch list, through
 * app/finance.ts) drops the call and, with it, the KMS client (~27 KB).
 */
export const fieldCrypto: () => FieldCrypto = /* @__PURE__ */ perExecutionEnvironment(() =>
  createFieldCrypto(kmsDataKeys(fieldKeyId)),
);

/**
 * A keyed fingerprint of a value (KMS GenerateMac, HMAC-SHA-256 under the fingerprint key, on AWS
 * and in the local stand-in): equal values give equal fingerprints, so a claim's payout account can
 * be matched against staff accounts without opening either. Needs `access.fingerprint`.
 */
export async function fingerprint(purpose: FieldPurpose, value: string): Promise<string> {
  const keyId = env('FINGERPRINT_KEY_ID');
  const r = await kms().send(
    new GenerateMacCommand({
      KeyId: keyId,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: Buffer.from(`${purpose}\u0000${value}`, 'utf8'),
    }),
  );
  if (!r.Mac) throw new Error('KMS returned no MAC');
  return Buffer.from(r.Mac).toString('base64url');
}
