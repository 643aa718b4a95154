import { randomUUID } from 'node:crypto';
import { getDocument, putDocument } from '../adapters/dynamo/claims-repo.ts';
import { presignDownload, presignUpload } from '../adapters/documents-store.ts';
import type { Caller as Principal } from '../core/caller.ts';
import type { Claim, ClaimDocument } from '../core/claim.ts';
import { contentFamilyOf, plausibleContent, UPLOAD_LIMITS } from '../core/dossier.ts';
import { DomainError } from '../core/errors.ts';
import { AMOUNT_DOCUMENT_TYPES, type DocumentType } from '../core/products.ts';
import type { Clock } from '../core/time.ts';
import { CLAIM_HANDLERS, CLAIM_READERS } from '../shared/roles.ts';
import { assertHandles } from './assessment.ts';
import { documentView, HEALTH_DOCUMENT_TYPES, readsFullReport } from './claim-view.ts';
import { loadClaimFor, mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { takeUploadQuota } from './quotas.ts';
import { staffActor } from './staff-context.ts';

/*
 * Documents in, documents out: the upload ticket and its intent, and the short-lived download link.
 * What happens when the bytes land is `document-arrival.ts`; a customer taking a document back is
 * `document-withdrawal.ts`. Both score the claim again, so they carry the fraud scorer; these
 * use cases do not, and neither do the functions that serve them (RequestUpload, GetDocument, the
 * e-mail intake).
 */

/** The role a member of staff uploads in (the route admits adjusters and supervisors). */
const staffRoleOf = (p: Principal): string =>
  p.roles.includes('adjuster') ? 'adjuster' : (p.roles.find((r) => r !== 'customer') ?? 'staff');

/** Claims no longer accepting documents. */
const CLOSED = ['CLOSED', 'CLOSED_NO_RESPONSE', 'PAID', 'REJECTED'];

export const uploadKey = (claimId: string, documentId: string) => `claims/${claimId}/${documentId}`;
/**
 * Where an upload is kept once it has landed: outside the `claims/` prefix that upload tickets can
 * write to, so replaying a presigned POST (valid for its whole lifetime) can never change the bytes
 * that were verified and are served. Only this key is ever served.
 */
export const storedKey = (claimId: string, documentId: string) => `stored/claims/${claimId}/${documentId}`;

export const quarantineKey = (claimId: string, documentId: string) =>
  `quarantine/claims/${claimId}/${documentId}`;

export interface UploadRequest {
  docType: DocumentType;
  fileName: string;
  contentType: string;
  size: number;
  /** The invoice/receipt total as the uploader reads it; only invoice and receipt types take one. */
  declaredAmount?: number;
}

/** A presigned POST for one document of one claim, after checking who asks and what for. */
export async function requestUpload(principal: Principal, claimId: string, req: UploadRequest, clock: Clock) {
  const claim = await loadClaimFor(principal, claimId);
  // Staff attach documents only to claims they handle (the assigned adjuster, or a supervisor) or
  // filed themselves on the phone (the caller's documents arrive with the call).
  if (!principal.roles.includes('customer') && claim.filedBy?.id !== principal.userId)
    assertHandles(await staffActor(principal, CLAIM_HANDLERS), claim);
  const byCustomer = principal.roles.includes('customer');
  const doc = await openUploadIntent(
    claim,
    req,
    // Staff uploads are recorded under the real person, never as `system`.
    byCustomer ? { by: 'customer' } : { by: 'staff', id: principal.userId, role: staffRoleOf(principal) },
    clock,
  );
  const { documentId, key } = doc;
  const ticket = await presignUpload(
    key,
    req.contentType,
    UPLOAD_LIMITS.maxBytes,
    UPLOAD_LIMITS.expiresSeconds,
    clock.now(),
  );
  return { documentId, upload: ticket, maxBytes: UPLOAD_LIMITS.maxBytes };
}

/** Who an upload is for: the customer, or a named member of staff. */
export type Uploader = { by: 'customer' } | { by: 'staff'; id: string; role: string };

/**
 * The one gate every document passes before its bytes may land (a browser's presigned upload or an
 * email attachment): the claim still takes documents, the type is on the product's checklist or the
 * claim's own required list, the file type is allowed and plausible for the document type, and the
 * size is within the limit. Records the upload intent; the bytes are then judged by `verifyUpload` (`document-arrival.ts`) when they land.
 */
export async function openUploadIntent(
  claim: Claim,
  req: UploadRequest,
  uploader: Uploader,
  clock: Clock,
  opts: { documentId?: string } = {},
): Promise<ClaimDocument> {
  if (CLOSED.includes(claim.status))
    throw new DomainError('INVALID_TRANSITION', 'This claim no longer accepts documents');
  const product = await loadProduct(claim.productCode);
  // The claim's own list counts too: it was fixed at filing, and a checklist changed since must not
  // leave a document the claim still needs impossible to send (its dossier would never complete).
  const allowedTypes = new Set<string>([
    ...(product?.documentChecklist.map((d) => d.type) ?? []),
    ...claim.requiredDocuments,
    'other',
  ]);
  if (!allowedTypes.has(req.docType)) {
    throw new DomainError(
      'DOCUMENT_TYPE_NOT_IN_CHECKLIST',
      `${req.docType} is not on this product's checklist`,
    );
  }
  if (!(UPLOAD_LIMITS.contentTypes as readonly string[]).includes(req.contentType)) {
    throw new DomainError('FILE_TYPE_NOT_ALLOWED', `Content type ${req.contentType} is not accepted`);
  }
  // A document's declared type must be plausible for the kind of file (core/dossier.ts DEFAULT_ACCEPTS).
  if (!plausibleContent(product, req.docType, req.contentType)) {
    throw new DomainError(
      'DOCUMENT_CONTENT_NOT_ACCEPTED',
      `A ${contentFamilyOf(req.contentType)} file is not accepted as ${req.docType}`,
      { docType: req.docType, contentType: req.contentType },
    );
  }
  if (
    req.declaredAmount !== undefined &&
    !(AMOUNT_DOCUMENT_TYPES as readonly string[]).includes(req.docType)
  ) {
    throw new DomainError(
      'DECLARED_AMOUNT_NOT_ALLOWED',
      'Only invoices and receipts carry a declared amount',
      {
        fields: [{ path: 'declaredAmount', code: 'not_allowed', message: 'Only for invoices and receipts' }],
      },
    );
  }
  if (req.size > UPLOAD_LIMITS.maxBytes)
    throw new DomainError('FILE_TOO_LARGE', 'The file is too large', { maxBytes: UPLOAD_LIMITS.maxBytes });
  // Only well-formed requests from someone allowed to upload count against the claim's quota.
  await takeUploadQuota(claim.claimId, clock);
  const now = clock.now();
  const documentId = opts.documentId ?? randomUUID();
  const key = uploadKey(claim.claimId, documentId);
  const byCustomer = uploader.by === 'customer';
  const doc: ClaimDocument = {
    documentId,
    claimId: claim.claimId,
    docType: req.docType,
    fileName: req.fileName,
    declaredContentType: req.contentType,
    declaredSize: req.size,
    status: 'PENDING_UPLOAD',
    key,
    requestedAt: now.toISOString(),
    uploadedBy: byCustomer ? 'customer' : 'staff',
    ...(uploader.by === 'staff' ? { uploader: { id: uploader.id, role: uploader.role } } : {}),
    ...(req.declaredAmount !== undefined ? { declaredAmount: req.declaredAmount } : {}),
  };
  await putDocument(doc);
  return doc;
}

/**
 * GET /claims/{claimId}/documents/{documentId}: the document and a short-lived link to its bytes,
 * for the customer whose claim it is and for staff who may read the claim. Only what was verified
 * is served, from the key no upload ticket can write to; a quarantined file never is. Staff may
 * also open a document the customer withdrew (it is kept, marked withdrawn); the customer no longer.
 *
 * A staff member's open is an audited read of personal data (ID cards, medical records, invoices):
 * it is recorded as `DocumentOpened` on the claim's hash-chained events (who, in which role, which
 * document) before the link is returned, so no link goes out unrecorded. Like a payout account
 * reveal it is not an edit: the claim's version stays, so nobody's open screen goes stale. The
 * customer opening their own document is not recorded.
 */
export async function documentForDownload(
  principal: Principal,
  claimId: string,
  documentId: string,
  clock: Clock,
) {
  const claim = await loadClaimFor(principal, claimId);
  const doc = await getDocument(claim.claimId, documentId);
  const customer = principal.roles.includes('customer');
  const servable =
    doc?.key.startsWith('stored/') &&
    (doc.status === 'VERIFIED' ||
      (!customer && doc.status === 'WITHDRAWN' && doc.statusBeforeWithdrawal === 'VERIFIED'));
  if (!doc || !servable) throw new DomainError('DOCUMENT_NOT_FOUND', 'Document not found');
  // Medical records are health data: only the roles that read a claim whole open them (forRoles
  // lists them to the others without a file name). Refused before a link exists or an open is recorded.
  if (!customer && !readsFullReport(principal.roles) && HEALTH_DOCUMENT_TYPES.includes(doc.docType))
    throw new DomainError('HEALTH_DATA_NOT_FOR_ROLE', 'Your role does not open medical records');
  const url = await presignDownload(doc.key, doc.fileName, doc.detectedType);
  const role = customer ? undefined : CLAIM_READERS.find((r) => principal.roles.includes(r));
  if (role) {
    await mutateClaim(claim.claimId, clock, (c) => ({
      claim: c,
      events: [
        {
          type: 'DocumentOpened',
          actor: { kind: 'staff', role, id: principal.userId },
          data: { documentId: doc.documentId, docType: doc.docType, status: doc.status },
        },
      ],
      recordsReadOnly: true,
    }));
  }
  return { ...documentView(doc), url };
}
