import type { Claim, ClaimDocument, ClaimFacts } from './claim.ts';
import type { ErrorCode } from './errors.ts';
import { DOCUMENT_WITHDRAWAL_STATUSES } from './lifecycle.ts';
import type { Cause, ChecklistItem, ContentFamily, DocumentType, ProductConfig } from './products.ts';

/**
 * Whether a checklist item is asked for a loss of this cause with these facts (`undefined` facts:
 * not known yet, as on the form before it is filled — then only what every such loss needs).
 */
function asked(item: ChecklistItem, cause: Cause | undefined, facts: ClaimFacts | undefined): boolean {
  if (cause && item.requiredForCauses?.includes(cause)) return true;
  if (!item.required) return false;
  if (cause && item.exceptCauses?.includes(cause)) return false;
  if (item.requiredWhen === 'police_attended')
    return facts !== undefined && 'policeAttended' in facts && facts.policeAttended === true;
  if (item.requiredWhen === 'third_party_involved')
    return facts?.kind === 'motor' && Boolean(facts.otherParty);
  return true;
}

/** Documents this claim needs, from the product checklist, the cause and the facts reported. */
export function requiredDocuments(
  product: ProductConfig,
  report: { cause: Cause; facts: ClaimFacts },
): DocumentType[] {
  return product.documentChecklist.filter((i) => asked(i, report.cause, report.facts)).map((i) => i.type);
}

/**
 * What the form can already promise to ask for while the claim is being written: the documents a
 * loss of this cause always needs (those that depend on facts not yet given are left out).
 */
export function documentsForCause(
  product: Pick<ProductConfig, 'documentChecklist'>,
  cause: Cause | undefined,
): DocumentType[] {
  return product.documentChecklist.filter((i) => asked(i, cause, undefined)).map((i) => i.type);
}

export const missingDocuments = (
  required: readonly DocumentType[],
  received: readonly DocumentType[],
): DocumentType[] => required.filter((t) => !received.includes(t));

/**
 * Why the customer may not withdraw `doc` from `claim`, or undefined when they may. The one rule
 * (README, "What happens to a claim"): a customer withdraws a document they sent (from the app or by e-mail; not
 * one staff uploaded) while nobody has relied on it — the claim is still before assessment and
 * decision ({@link DOCUMENT_WITHDRAWAL_STATUSES}) and no assessment was recorded after the document
 * arrived. A document still being uploaded, or already withdrawn, is not withdrawable either (the
 * use case treats a repeat of a withdrawal as done).
 */
export function withdrawalRefusal(
  claim: Pick<Claim, 'status' | 'assessment' | 'decision'>,
  doc: Pick<ClaimDocument, 'uploadedBy' | 'status' | 'verifiedAt' | 'requestedAt'>,
): Extract<ErrorCode, 'DOCUMENT_NOT_OWN' | 'DOCUMENT_NOT_WITHDRAWABLE' | 'DOCUMENT_NOT_FOUND'> | undefined {
  if (doc.status === 'PENDING_UPLOAD' || doc.status === 'WITHDRAWN') return 'DOCUMENT_NOT_FOUND';
  if (doc.uploadedBy !== 'customer') return 'DOCUMENT_NOT_OWN';
  if (!DOCUMENT_WITHDRAWAL_STATUSES.includes(claim.status)) return 'DOCUMENT_NOT_WITHDRAWABLE';
  const arrived = Date.parse(doc.verifiedAt ?? doc.requestedAt);
  if (claim.assessment && Date.parse(claim.assessment.recordedAt) >= arrived)
    return 'DOCUMENT_NOT_WITHDRAWABLE';
  return undefined;
}

/**
 * The document types the claim holds once `withdrawn` is withdrawn: its type stays received only
 * while another verified document of that type is still on the claim (`others`: the claim's other
 * documents), so the checklist asks for it again otherwise.
 */
export function receivedAfterWithdrawal(
  received: readonly DocumentType[],
  withdrawn: Pick<ClaimDocument, 'docType' | 'status'>,
  others: readonly Pick<ClaimDocument, 'docType' | 'status'>[],
): DocumentType[] {
  if (withdrawn.status !== 'VERIFIED') return [...received];
  const still = others.some((d) => d.status === 'VERIFIED' && d.docType === withdrawn.docType);
  return still ? [...received] : received.filter((t) => t !== withdrawn.docType);
}

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
    // E-invoices in the tax authority's XML format (Decree 123/2020); only invoice types accept them.
    'application/xml',
    'text/xml',
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
  const family = (m: string) =>
    m === 'image/heif' ? 'image/heic' : m === 'text/xml' ? 'application/xml' : m;
  if (family(declaredType) !== family(detectedMime)) return { ok: false, reason: 'TYPE_MISMATCH' };
  return { ok: true };
}

/** The kind of file a content type is (`image/*`, PDF, XML), or undefined for anything else. */
export function contentFamilyOf(mime: string | undefined): ContentFamily | undefined {
  if (!mime) return undefined;
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'application/xml' || mime === 'text/xml') return 'xml';
  return undefined;
}

/**
 * Which kinds of file each document type may plausibly be, unless the product's checklist says
 * otherwise. Photos of the damage are pictures; papers (registration, licence, certificate,
 * reports) are a scan or photo of the paper, or the PDF the issuer sends; invoices and receipts may
 * also be the e-invoice XML, the only form whose amount the system can read itself. Nothing else
 * accepts XML. A picture cannot be told from a picture of a paper without reading it, so a photo
 * filed as a paper is caught another way: the same bytes filed under two document types (see
 * core/straight-through.ts, DOCUMENT_REUSED) keep the claim from straight-through processing.
 */
export const DEFAULT_ACCEPTS: Record<DocumentType, readonly ContentFamily[]> = {
  claim_letter: ['pdf', 'image'],
  vehicle_registration: ['image', 'pdf'],
  driving_licence: ['image', 'pdf'],
  insurance_certificate: ['pdf', 'image'],
  repair_invoice: ['pdf', 'xml', 'image'],
  police_report: ['pdf', 'image'],
  damage_photos: ['image'],
  ownership_proof: ['pdf', 'image'],
  loss_inventory: ['pdf', 'image'],
  fire_brigade_report: ['pdf', 'image'],
  medical_report: ['pdf', 'image'],
  hospital_invoice: ['pdf', 'xml', 'image'],
  discharge_paper: ['pdf', 'image'],
  prescription: ['pdf', 'image'],
  boarding_pass: ['pdf', 'image'],
  passport: ['image', 'pdf'],
  carrier_report: ['pdf', 'image'],
  other: ['pdf', 'image'],
};

/** The kinds of file the product accepts for a document type (its checklist, else the default). */
export function acceptedContent(
  product: ProductConfig | undefined,
  docType: DocumentType,
): readonly ContentFamily[] {
  const item = product?.documentChecklist.find((d) => d.type === docType);
  return item?.accepts ?? DEFAULT_ACCEPTS[docType];
}

/** Whether a file of this content type is plausible as this document type for this product. */
export function plausibleContent(
  product: ProductConfig | undefined,
  docType: DocumentType,
  mime: string | undefined,
): boolean {
  const family = contentFamilyOf(mime);
  return family !== undefined && acceptedContent(product, docType).includes(family);
}
