import type { ClaimFacts } from './claim.ts';
import type { ChecklistItem, DocumentType, ProductConfig } from './products.ts';

/** Documents this claim needs, from the product checklist and the facts reported. */
export function requiredDocuments(product: ProductConfig, facts: ClaimFacts): DocumentType[] {
  const applies = (item: ChecklistItem): boolean => {
    if (!item.required) return false;
    if (item.requiredWhen === 'police_attended')
      return 'policeAttended' in facts && facts.policeAttended === true;
    if (item.requiredWhen === 'third_party_involved')
      return facts.kind === 'motor' && Boolean(facts.otherParty);
    return true;
  };
  return product.documentChecklist.filter(applies).map((i) => i.type);
}

export const missingDocuments = (
  required: readonly DocumentType[],
  received: readonly DocumentType[],
): DocumentType[] => required.filter((t) => !received.includes(t));

/** Upload limits: what a presigned POST allows and what the verifier accepts. */
export const UPLOAD_LIMITS = {
  maxBytes: 15 * 1024 * 1024,
  /** Presigned POST lifetime; short so a leaked form is useless soon. */
  expiresSeconds: 300,
  contentTypes: [
    'image/jpeg',
    'image/png',
    'image/webp',
    'image/heic',
    'image/heif',
    'application/pdf',
  ] as const,
};

export type AllowedContentType = (typeof UPLOAD_LIMITS.contentTypes)[number];

/**
 * Decides, from what the bytes really are, whether an upload may join the claim. `detectedMime`
 * comes from magic-number sniffing, never from the client's declared type.
 */
export function judgeUpload(
  declaredType: string,
  detectedMime: string | undefined,
  size: number,
):
  | { ok: true }
  | { ok: false; reason: 'FILE_EMPTY' | 'FILE_TOO_LARGE' | 'FILE_TYPE_NOT_ALLOWED' | 'TYPE_MISMATCH' } {
  if (size === 0) return { ok: false, reason: 'FILE_EMPTY' };
  if (size > UPLOAD_LIMITS.maxBytes) return { ok: false, reason: 'FILE_TOO_LARGE' };
  if (!detectedMime || !(UPLOAD_LIMITS.contentTypes as readonly string[]).includes(detectedMime)) {
    return { ok: false, reason: 'FILE_TYPE_NOT_ALLOWED' };
  }
  const family = (m: string) => (m === 'image/heif' ? 'image/heic' : m);
  if (family(declaredType) !== family(detectedMime)) return { ok: false, reason: 'TYPE_MISMATCH' };
  return { ok: true };
}
