import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { type AnchorPoint, type AuditChain, anchorMessage } from '../core/audit-anchor.ts';
import { kms } from './aws-clients.ts';
import { env } from './env.ts';

/**
 * The audit anchor key (`AUDIT_KEY_ID`): a KMS HMAC key of its own (HMAC_SHA_256), separate from
 * the fingerprint key because its purpose is separate (one key, one purpose, one set of grants).
 * Only the anchoring function may GenerateMac with it; verifiers may only VerifyMac, so a reader of
 * the audit trail can check an anchor but never make one. Needs `access.auditAnchor`.
 */
const ALGORITHM = 'HMAC_SHA_256';

/** The anchor's MAC (base64), made by KMS. */
export async function anchorMac(chain: AuditChain, point: AnchorPoint): Promise<string> {
  const r = await kms().send(
    new GenerateMacCommand({
      KeyId: env('AUDIT_KEY_ID'),
      MacAlgorithm: ALGORITHM,
      Message: Buffer.from(anchorMessage(chain, point), 'utf8'),
    }),
  );
  if (!r.Mac) throw new Error('KMS returned no MAC');
  return Buffer.from(r.Mac).toString('base64');
}

/**
 * Whether KMS made `mac` for this chain point under the audit key. KMS answers an invalid MAC with
 * `KMSInvalidMacException` (never `MacValid: false`); any other error (throttling, access) is
 * thrown, so an unavailable KMS is never read as a forged anchor.
 */
export async function anchorMacValid(chain: AuditChain, point: AnchorPoint, mac: string): Promise<boolean> {
  try {
    const r = await kms().send(
      new VerifyMacCommand({
        KeyId: env('AUDIT_KEY_ID'),
        MacAlgorithm: ALGORITHM,
        Message: Buffer.from(anchorMessage(chain, point), 'utf8'),
        Mac: Buffer.from(mac, 'base64'),
      }),
    );
    return r.MacValid === true;
  } catch (e) {
    if (e instanceof KMSInvalidMacException) return false;
    throw e;
  }
}
