import { randomUUID } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import {
  documentsByHash,
  documentsOfClaim,
  getClaim,
  getDocument,
  putDocument,
} from '../adapters/dynamo/claims-repo.ts';
import { claimInvoice } from '../adapters/dynamo/invoices-repo.ts';
import {
  copyObject,
  inspectObject,
  moveObject,
  presignDownload,
  presignUpload,
} from '../adapters/documents-store.ts';
import type { Claim, ClaimDocument, InvoiceFlag } from '../core/claim.ts';
import {
  contentFamilyOf,
  judgeUpload,
  missingDocuments,
  plausibleContent,
  receivedAfterWithdrawal,
  UPLOAD_LIMITS,
  withdrawalRefusal,
} from '../core/dossier.ts';
import { EINVOICE_MAX_CHARS, type EInvoice, invoiceIdentity, parseEInvoice } from '../core/einvoice.ts';
import { DomainError } from '../core/errors.ts';
import { type Actor, type NewEvent, SYSTEM } from '../core/events.ts';
import { AMOUNT_DOCUMENT_TYPES, type DocumentType } from '../core/products.ts';
import type { Clock } from '../core/time.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { documentView } from './claim-view.ts';
import { assertHandles } from './assessment.ts';
import { staffActor } from './staff-context.ts';
import { CLAIM_HANDLERS, CLAIM_READERS } from '../shared/roles.ts';
import { loadClaimFor, mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { takeUploadQuota } from './quotas.ts';
import { scoreClaim } from './fraud.ts';
import { maybeStraightThrough } from './straight-through.ts';

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
 * email attachment): the claim still takes documents, the type is on the product's checklist, the
 * file type is allowed and plausible for the document type, and the size is within the limit. Records
 * the upload intent; the bytes are then judged by {@link verifyUpload} when they land.
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
  const allowedTypes = new Set<string>([...(product?.documentChecklist.map((d) => d.type) ?? []), 'other']);
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

/**
 * POST /claims/{claimId}/documents/{documentId}/withdraw: the customer takes back a document of
 * theirs before anyone relied on it (the rule: core/dossier.ts `withdrawalRefusal`). Nothing is
 * lost: the bytes stay where they are and the record stays, marked WITHDRAWN, for staff and the
 * audit trail; the claim stops counting it — its type is missing again unless another verified
 * document of that type is on the claim — and the fraud features and straight-through, which read
 * verified documents only, no longer see it. The date the dossier first completed is kept: the
 * insurer's Art. 31 payment clock, once started, is never pushed later by a withdrawal.
 * Withdrawing a document already withdrawn answers the claim as it is (a repeat is harmless).
 */
export async function withdrawDocument(
  principal: Principal,
  claimId: string,
  documentId: string,
  body: { expectedVersion: number },
  clock: Clock,
) {
  const claim = await loadClaimFor(principal, claimId);
  if (!principal.customerId || claim.customerId !== principal.customerId)
    throw new DomainError('CLAIM_NOT_FOUND', 'Claim not found');
  const doc = await getDocument(claimId, documentId);
  if (doc?.status === 'WITHDRAWN') return claim;
  if (!doc || doc.status === 'PENDING_UPLOAD')
    throw new DomainError('DOCUMENT_NOT_FOUND', 'Document not found');
  const saved = await mutateClaim(
    claimId,
    clock,
    async (c) => {
      const current = await getDocument(claimId, documentId);
      if (!current) throw new DomainError('DOCUMENT_NOT_FOUND', 'Document not found');
      if (current.status === 'WITHDRAWN') return null;
      const refusal = withdrawalRefusal(c, current);
      if (refusal === 'DOCUMENT_NOT_OWN')
        throw new DomainError(refusal, 'Only documents you sent can be withdrawn');
      if (refusal === 'DOCUMENT_NOT_WITHDRAWABLE')
        throw new DomainError(refusal, 'The claim has been assessed with this document', {
          status: c.status,
        });
      if (refusal) throw new DomainError(refusal, 'Document not found');
      const others = (await documentsOfClaim(claimId)).filter((d) => d.documentId !== documentId);
      const receivedDocuments = receivedAfterWithdrawal(c.receivedDocuments, current, others);
      const now = clock.now().toISOString();
      return {
        claim: { ...c, receivedDocuments },
        documents: [
          {
            ...current,
            status: 'WITHDRAWN' as const,
            withdrawnAt: now,
            statusBeforeWithdrawal: current.status as 'VERIFIED' | 'QUARANTINED',
          },
        ],
        events: [
          {
            type: 'DocumentWithdrawn' as const,
            actor: { kind: 'customer' as const, id: principal.userId },
            data: {
              documentId,
              docType: current.docType,
              fileName: current.fileName,
              missingAgain:
                !receivedDocuments.includes(current.docType) && c.requiredDocuments.includes(current.docType),
            },
          },
        ],
      };
    },
    body.expectedVersion,
    claim,
  );
  // The fraud features read verified documents only: score again without this one.
  if (doc.status === 'VERIFIED') await scoreClaim(claimId, clock, 'documents');
  return saved;
}

const KEY_PATTERN = /^claims\/([A-Za-z0-9-]+)\/([A-Za-z0-9-]+)$/;

/**
 * Runs when an object lands in the documents bucket. Verifies what really arrived (size, type by
 * magic bytes, SHA-256), attaches it to the claim or quarantines it with the reason, and records
 * "dossier complete" — the start of the Art. 31 payment clock — when the last required document
 * arrives. Repeated notifications for the same object are harmless.
 */
export async function verifyUpload(key: string, clock: Clock): Promise<{ outcome: string; reason?: string }> {
  const m = KEY_PATTERN.exec(key);
  if (!m) return { outcome: 'IGNORED', reason: 'KEY_NOT_A_CLAIM_DOCUMENT' };
  const [, claimId, documentId] = m as unknown as [string, string, string];
  const doc = await getDocument(claimId, documentId);
  if (!doc) {
    // No upload intent: not ours to attach. Keep the bytes aside rather than deleting them.
    await moveObject(key, quarantineKey(claimId, documentId), 'NO_UPLOAD_INTENT');
    return { outcome: 'QUARANTINED', reason: 'NO_UPLOAD_INTENT' };
  }
  if (doc.status !== 'PENDING_UPLOAD') {
    // The same ticket used again after the first upload was taken: these bytes are never attached
    // or served. Kept aside with the reason, like every refused file.
    await copyObject(key, `${quarantineKey(claimId, documentId)}-replay-${Date.now()}`, 'REPLAYED_UPLOAD');
    return { outcome: 'QUARANTINED', reason: 'REPLAYED_UPLOAD' };
  }
  // Take the bytes out of the ticket's reach first, then judge exactly what was taken.
  const stored = storedKey(claimId, documentId);
  await copyObject(key, stored, 'RECEIVED');

  // An e-invoice is read whole (it is small); anything else only as far as its magic number.
  const xml = contentFamilyOf(doc.declaredContentType) === 'xml';
  const inspected = await inspectObject(stored, UPLOAD_LIMITS.maxBytes, xml ? EINVOICE_MAX_CHARS : undefined);
  const detected = inspected === 'TOO_LARGE' ? undefined : await fileTypeFromBuffer(inspected.head);
  const owner = await getClaim(claimId);
  const product = owner ? await loadProduct(owner.productCode) : undefined;
  let einvoice: EInvoice | undefined;
  let verdict: { ok: true } | { ok: false; reason: string } =
    inspected === 'TOO_LARGE'
      ? ({ ok: false, reason: 'FILE_TOO_LARGE' } as const)
      : judgeUpload(doc.declaredContentType, detected?.mime, inspected.size);
  // The ticket allowed a size range; what arrived must be what the uploader said it would be.
  if (verdict.ok && inspected !== 'TOO_LARGE' && inspected.size !== doc.declaredSize) {
    verdict = { ok: false, reason: 'SIZE_MISMATCH' };
  }
  if (verdict.ok && !plausibleContent(product, doc.docType, detected?.mime)) {
    verdict = { ok: false, reason: 'DOCUMENT_CONTENT_NOT_ACCEPTED' };
  }
  if (verdict.ok && xml && inspected !== 'TOO_LARGE') {
    // XML is accepted only as an e-invoice: one that cannot be read as such is refused, with why.
    const r =
      inspected.size > EINVOICE_MAX_CHARS
        ? ({ ok: false, code: 'EINVOICE_TOO_LARGE' } as const)
        : parseEInvoice(Buffer.from(inspected.head).toString('utf8'));
    if (r.ok) einvoice = r.invoice;
    else verdict = { ok: false, reason: r.code };
  }
  const now = clock.now().toISOString();
  const actor: Actor =
    doc.uploadedBy === 'customer'
      ? { kind: 'customer' }
      : doc.uploader
        ? { kind: 'staff', role: doc.uploader.role, id: doc.uploader.id }
        : SYSTEM;

  if (!verdict.ok) {
    await moveObject(stored, quarantineKey(claimId, documentId), verdict.reason);
    const rejected: ClaimDocument = {
      ...doc,
      status: 'QUARANTINED',
      key: quarantineKey(claimId, documentId),
      rejectionReason: verdict.reason,
      verifiedAt: now,
      ...(inspected !== 'TOO_LARGE'
        ? { size: inspected.size, sha256: inspected.sha256, detectedType: detected?.mime ?? 'unknown' }
        : {}),
    };
    await mutateClaim(claimId, clock, (c) => ({
      claim: c,
      events: [
        {
          type: 'DocumentQuarantined',
          actor,
          data: { documentId, docType: doc.docType, fileName: doc.fileName, reason: verdict.reason },
        },
      ],
      documents: [rejected],
    }));
    return { outcome: 'QUARANTINED', reason: verdict.reason };
  }

  const info = inspected as Exclude<typeof inspected, 'TOO_LARGE'>;
  const sameBytes = (await documentsByHash(info.sha256)).filter((d) => d.documentId !== documentId);
  const verified: ClaimDocument = {
    ...doc,
    key: stored,
    status: 'VERIFIED',
    verifiedAt: now,
    size: info.size,
    sha256: info.sha256,
    detectedType: detected?.mime,
    ...(sameBytes.length > 0 ? { duplicateOf: sameBytes.map((d) => `${d.claimId}/${d.documentId}`) } : {}),
    ...(einvoice ? { einvoice } : {}),
  };
  const flag = einvoice ? await invoiceFlag(einvoice, claimId, documentId, now) : undefined;
  const claim = await mutateClaim(claimId, clock, (c) => {
    const change = attachDocument(c, verified, actor, now);
    if (!flag) return change;
    return {
      ...change,
      claim: { ...change.claim, invoiceFlags: [...(c.invoiceFlags ?? []), flag] },
      events: [...change.events, { type: 'InvoiceFlagged', actor: SYSTEM, data: { ...flag } }],
    };
  });
  if (flag) await flagOtherClaim(flag, claimId, clock);
  // A new file may be shared with another customer's claim, or complete the picture: score again
  // before straight-through looks at the claim.
  await scoreClaim(claimId, clock, 'documents');
  // The dossier just completed, or an invoice arrived for a complete dossier: straight-through may now apply.
  const evidence: readonly DocumentType[] = product?.straightThrough.evidence ?? [];
  if (claim.dossierCompleteAt === now || (claim.dossierCompleteAt && evidence.includes(doc.docType))) {
    await maybeStraightThrough(claimId, clock);
  }
  return { outcome: 'VERIFIED' };
}

/**
 * Records that this claim files the e-invoice (the `INVOICE#` lookup item, written under a
 * condition so exactly one claim is first) and returns a flag when another claim filed it already.
 */
async function invoiceFlag(
  invoice: EInvoice,
  claimId: string,
  documentId: string,
  now: string,
): Promise<InvoiceFlag | undefined> {
  const id = invoiceIdentity(invoice);
  const r = await claimInvoice(id, { claimId, documentId, at: now });
  if (r.first) return undefined;
  return { code: 'INVOICE_DUPLICATE', ...id, otherClaimId: r.holder.claimId, documentId, flaggedAt: now };
}

/** The claim that filed the invoice first is flagged too: it may not be paid yet, or may need recovering. */
async function flagOtherClaim(flag: InvoiceFlag, claimId: string, clock: Clock) {
  const mirrored: InvoiceFlag = { ...flag, otherClaimId: claimId };
  await mutateClaim(flag.otherClaimId, clock, (c) =>
    (c.invoiceFlags ?? []).some((f) => f.otherClaimId === claimId && f.number === flag.number)
      ? null
      : {
          claim: { ...c, invoiceFlags: [...(c.invoiceFlags ?? []), mirrored] },
          events: [{ type: 'InvoiceFlagged', actor: SYSTEM, data: { ...mirrored } }],
        },
  );
}

function attachDocument(c: Claim, doc: ClaimDocument, actor: Actor, now: string) {
  const received = c.receivedDocuments.includes(doc.docType)
    ? c.receivedDocuments
    : [...c.receivedDocuments, doc.docType];
  const wasComplete = Boolean(c.dossierCompleteAt);
  const complete = missingDocuments(c.requiredDocuments, received).length === 0;
  const events: NewEvent[] = [
    {
      type: 'DocumentVerified',
      actor,
      data: {
        documentId: doc.documentId,
        docType: doc.docType,
        fileName: doc.fileName,
        size: doc.size,
        sha256: doc.sha256,
        duplicateOf: doc.duplicateOf,
        // As of this document: the documents reminder is met only when nothing required is missing.
        dossierComplete: complete,
      },
    },
  ];
  let next: Claim = { ...c, receivedDocuments: received };
  if (complete && !wasComplete) {
    next = { ...next, dossierCompleteAt: now };
    events.push({ type: 'DossierCompleted', actor: SYSTEM, data: { completedAt: now } });
    if (c.status === 'AWAITING_DOCUMENTS') next = { ...next, status: 'UNDER_ASSESSMENT' };
  }
  return { claim: next, events, documents: [doc] };
}
