import { fileTypeFromBuffer } from 'file-type';
import { documentsByHash, getClaim, getDocument } from '../adapters/dynamo/claims-repo.ts';
import { claimInvoice } from '../adapters/dynamo/invoices-repo.ts';
import { copyObject, copyObjectOnce, inspectObject, moveObject } from '../adapters/documents-store.ts';
import type { Claim, ClaimDocument, InvoiceFlag } from '../core/claim.ts';
import {
  contentFamilyOf,
  judgeUpload,
  missingDocuments,
  plausibleContent,
  UPLOAD_LIMITS,
} from '../core/dossier.ts';
import { EINVOICE_MAX_CHARS, type EInvoice, invoiceIdentity, parseEInvoice } from '../core/einvoice.ts';
import { type Actor, type NewEvent, SYSTEM } from '../core/events.ts';
import type { DocumentType } from '../core/products.ts';
import type { Clock } from '../core/time.ts';
import { mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';
import { quarantineKey, storedKey } from './documents.ts';
import { scoreClaim } from './fraud.ts';
import { maybeStraightThrough } from './straight-through.ts';

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
    // or served. The first replay is kept aside with the reason, like every refused file; later
    // ones are not copied (a ticket can be posted again and again for its five minutes, and each
    // copy would be kept for months). What landed last stays in the landing zone until it expires.
    await copyObjectOnce(key, `${quarantineKey(claimId, documentId)}-replay`, 'REPLAYED_UPLOAD');
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
