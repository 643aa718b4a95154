import type { CheckResult } from './claim.ts';
import { isStraightThrough, type StraightThroughReason as BaseReason } from './classify.ts';
import type { SodFacts } from './controls.ts';
import { buyerMatchesHolder, type EInvoice, invoiceIdentity } from './einvoice.ts';
import type { Money } from './money.ts';
import { type CoverUsed, coverValue, type LossItem, type PayoutInputIn } from './payout.ts';
import type { Cover, Policy } from './policy.ts';
import type { DocumentType, ProductConfig } from './products.ts';

/**
 * Straight-through processing pays what is evidenced, not what is claimed. The customer's own
 * estimate is an upper bound, never the basis: the basis is the amount on an invoice or receipt of
 * a type the product names (`straightThrough.evidence`) — the total (VAT included) read from the
 * e-invoice XML when there is one, otherwise the amount the customer declared when uploading that
 * document. Anything this rule cannot vouch for goes to a person, with every reason listed.
 */

export type StraightThroughReason =
  | BaseReason
  /** The product names no invoice/receipt type to pay on. */
  | 'NO_EVIDENCE_CONFIGURED'
  /** No e-invoice and no declared amount on an invoice/receipt of the product's evidence types. */
  | 'NO_EVIDENCED_AMOUNT'
  /** Several declared amounts and no e-invoice: they may be photos of the same receipt. */
  | 'EVIDENCE_AMBIGUOUS'
  /** A declared amount matches no e-invoice total on the claim. */
  | 'EVIDENCE_AMOUNTS_DISAGREE'
  /** The evidence is above the customer's own estimate: a person decides which is right. */
  | 'EVIDENCE_ABOVE_ESTIMATE'
  | 'INVOICE_BEFORE_LOSS'
  | 'INVOICE_BUYER_MISMATCH'
  | 'INVOICE_BUYER_UNKNOWN'
  /** The same invoice (or the same invoice file) is on another claim. */
  | 'INVOICE_DUPLICATE'
  /** The same file was filed as two different document types (e.g. a damage photo as the registration). */
  | 'DOCUMENT_REUSED'
  /** A first claim on a policy younger than the product's waiting period. */
  | 'WAITING_PERIOD'
  /**
   * A member of staff filed the claim (phone channel): nobody else would look at it before the
   * money moved, so a person other than the filer decides (core/controls.ts SOD_OWN_FILING).
   */
  | 'FILED_BY_STAFF'
  /** The payout account is a staff member's (SOD_STAFF_PAYOUT_ACCOUNT): never paid without a person. */
  | 'STAFF_PAYOUT_ACCOUNT'
  /** The contact on the claim is a staff member's (SOD_STAFF_CONTACT). */
  | 'STAFF_CONTACT';

/** A verified document as the rule needs it. */
export interface EvidenceDocument {
  documentId: string;
  docType: DocumentType;
  sha256?: string;
  /** The amount the customer declared on this invoice/receipt at upload. */
  declaredAmount?: number;
  einvoice?: EInvoice;
  /** `claimId/documentId` of documents with the same bytes. */
  duplicateOf?: string[];
}

export interface EvidencedInvoice {
  documentId: string;
  seller: { name: string; taxCode: string };
  series: string;
  number: string;
  issuedOn: string;
  total: number;
}

/** What straight-through processing would pay on, as recorded on the claim and shown in the console. */
export interface Evidence {
  /** Whole đồng; absent when nothing is evidenced. */
  amount?: number;
  basis?: 'einvoice' | 'declared';
  documentIds: string[];
  invoices: EvidencedInvoice[];
}

export interface StraightThroughFacts {
  claimId: string;
  product: ProductConfig;
  estimatedAmount: Money;
  checks: readonly CheckResult[];
  dossierComplete: boolean;
  /** Open fraud indicators on the claim. */
  fraudIndicators: number;
  /** The loss day (Vietnam), yyyy-mm-dd. */
  lossDate: string;
  policy?: { startDate: string; holderName: string; holderIdNumber?: string };
  /** Claims on the same policy filed before this one. */
  earlierClaimsOnPolicy: number;
  /** Verified documents of the claim. */
  documents: readonly EvidenceDocument[];
  /** Invoices of this claim already found on another claim (the INVOICE# lookup). */
  duplicateInvoices: number;
  /**
   * The segregation-of-duties facts a person approving would be held to (core/controls.ts
   * `sodFacts`): with no person approving, any of them sends the claim to one.
   */
  sod: Pick<SodFacts, 'filedBy' | 'payoutAccountOfStaff' | 'contactOfStaff'>;
}

export interface StraightThroughVerdict {
  eligible: boolean;
  reasons: StraightThroughReason[];
  evidence: Evidence;
}

const invoiceKey = (i: EInvoice) => {
  const id = invoiceIdentity(i);
  return `${id.sellerTaxCode}#${id.series}#${id.number}`;
};

/**
 * The evidenced amount of a claim from its verified documents of the product's evidence types:
 * e-invoice totals (each distinct invoice once) when there are any, and then every declared amount
 * must equal one of them (the PDF beside its XML); otherwise the one declared amount.
 */
export function evidenceOf(
  documents: readonly EvidenceDocument[],
  types: readonly DocumentType[],
): { evidence: Evidence; reasons: StraightThroughReason[] } {
  const docs = documents.filter((d) => types.includes(d.docType));
  const invoices = new Map<string, EvidencedInvoice>();
  for (const d of docs) {
    if (!d.einvoice) continue;
    const key = invoiceKey(d.einvoice);
    if (invoices.has(key)) continue;
    invoices.set(key, {
      documentId: d.documentId,
      seller: d.einvoice.seller,
      series: `${d.einvoice.template}${d.einvoice.series}`,
      number: d.einvoice.number,
      issuedOn: d.einvoice.issuedOn,
      total: d.einvoice.totals.total,
    });
  }
  const declared = docs.filter((d) => d.declaredAmount !== undefined);
  if (invoices.size > 0) {
    const list = [...invoices.values()];
    const totals = new Set(list.map((i) => i.total));
    const disagree = declared.some((d) => !totals.has(d.declaredAmount as number));
    return {
      evidence: {
        amount: list.reduce((s, i) => s + i.total, 0),
        basis: 'einvoice',
        documentIds: list.map((i) => i.documentId),
        invoices: list,
      },
      reasons: disagree ? ['EVIDENCE_AMOUNTS_DISAGREE'] : [],
    };
  }
  if (declared.length > 1) {
    return {
      evidence: { documentIds: declared.map((d) => d.documentId), invoices: [] },
      reasons: ['EVIDENCE_AMBIGUOUS'],
    };
  }
  const one = declared[0];
  if (!one) return { evidence: { documentIds: [], invoices: [] }, reasons: ['NO_EVIDENCED_AMOUNT'] };
  return {
    evidence: { amount: one.declaredAmount, basis: 'declared', documentIds: [one.documentId], invoices: [] },
    reasons: [],
  };
}

/** The same bytes filed under two different document types of one claim. */
export function reusedDocuments(documents: readonly EvidenceDocument[]): boolean {
  const typesByHash = new Map<string, Set<DocumentType>>();
  for (const d of documents) {
    if (!d.sha256) continue;
    const set = typesByHash.get(d.sha256) ?? new Set<DocumentType>();
    set.add(d.docType);
    typesByHash.set(d.sha256, set);
  }
  return [...typesByHash.values()].some((s) => s.size > 1);
}

/** Whole days from `from` to `to` (both yyyy-mm-dd). */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * Whether a claim may be settled with no person, and on what amount. On top of the product's base
 * rule ({@link isStraightThrough}: enabled, estimate within `straightThroughMax`, every intake check
 * passed — a possible duplicate included —, dossier complete, no open fraud indicator):
 * - an evidenced amount exists (see {@link evidenceOf}), is within `straightThroughMax` and not
 *   above the estimate;
 * - every e-invoice is dated on or after the loss day and issued to the policyholder (see
 *   {@link buyerMatchesHolder}); none is on another claim, nor is an invoice file;
 * - no file is filed under two document types;
 * - not a first claim whose loss falls inside the product's waiting period from the policy start.
 * Every failed condition is listed, so the referral note is complete.
 */
export function straightThroughVerdict(f: StraightThroughFacts): StraightThroughVerdict {
  const base = isStraightThrough({
    product: f.product,
    estimatedAmount: f.estimatedAmount,
    checks: f.checks,
    dossierComplete: f.dossierComplete,
    fraudIndicators: f.fraudIndicators,
  });
  const reasons: StraightThroughReason[] = [...base.reasons];
  const add = (r: StraightThroughReason) => {
    if (!reasons.includes(r)) reasons.push(r);
  };
  const rules = f.product.straightThrough;
  const evidenceTypes: readonly DocumentType[] = rules.evidence;
  const { evidence, reasons: evidenceReasons } = evidenceOf(f.documents, rules.evidence);
  if (rules.evidence.length === 0) add('NO_EVIDENCE_CONFIGURED');
  else evidenceReasons.forEach(add);
  if (evidence.amount !== undefined) {
    if (evidence.amount > f.product.straightThroughMax) add('AMOUNT_ABOVE_LIMIT');
    if (evidence.amount > f.estimatedAmount.amount) add('EVIDENCE_ABOVE_ESTIMATE');
  }
  for (const d of f.documents) {
    const inv = d.einvoice;
    if (!inv || !evidenceTypes.includes(d.docType)) continue;
    if (inv.issuedOn < f.lossDate) add('INVOICE_BEFORE_LOSS');
    const buyer = f.policy
      ? buyerMatchesHolder(inv.buyer, { name: f.policy.holderName, taxId: f.policy.holderIdNumber })
      : 'unknown';
    if (buyer === 'mismatch') add('INVOICE_BUYER_MISMATCH');
    if (buyer === 'unknown') add('INVOICE_BUYER_UNKNOWN');
  }
  const otherClaimCopy = f.documents.some(
    (d) =>
      evidenceTypes.includes(d.docType) &&
      (d.duplicateOf ?? []).some((ref) => !ref.startsWith(`${f.claimId}/`)),
  );
  if (f.duplicateInvoices > 0 || otherClaimCopy) add('INVOICE_DUPLICATE');
  if (reusedDocuments(f.documents)) add('DOCUMENT_REUSED');
  if (
    rules.waitingPeriodDays > 0 &&
    f.earlierClaimsOnPolicy === 0 &&
    f.policy &&
    daysBetween(f.policy.startDate, f.lossDate) < rules.waitingPeriodDays
  ) {
    add('WAITING_PERIOD');
  }
  if (f.sod.filedBy) add('FILED_BY_STAFF');
  if (f.sod.payoutAccountOfStaff.length > 0) add('STAFF_PAYOUT_ACCOUNT');
  if (f.sod.contactOfStaff.length > 0) add('STAFF_CONTACT');
  return { eligible: reasons.length === 0, reasons, evidence };
}

/** Post-audit draws are integers in [0, POST_AUDIT_BUCKETS): a share in basis points compares with them directly. */
export const POST_AUDIT_BUCKETS = 10_000;

/**
 * Whether a straight-through payment is sampled for post-audit: the draw the server made when it
 * approved the claim (an integer in [0, {@link POST_AUDIT_BUCKETS}), recorded on `ClaimApproved`)
 * falls below the share. A share of 10 000 bps samples every payment, 0 none. The draw is random at
 * decision time, not derived from anything the customer sends: the claim id is a hash of the
 * customer's own Idempotency-Key, so a sample read from it could be dodged by trying keys offline
 * before filing. Recorded, it still lets anyone re-check why a claim was (or was not) sampled.
 */
export function sampledForPostAudit(draw: number, shareBps: number): boolean {
  return draw < shareBps;
}

/**
 * Whether the straight-through rule must leave the claim alone because it was appealed. A person
 * rejected it; the appeal reopens it for review with no decision and takes new documents, which may
 * complete the dossier: without this the rule would approve and pay the claim with nobody looking
 * at the appeal, and leave the appeal open. An appealed claim (its appeal open or decided) is
 * decided by a person.
 */
export function appealed(c: { appeal?: unknown }): boolean {
  return c.appeal !== undefined;
}

/** The add-on that waives depreciation on new parts. */
const NEW_FOR_OLD = 'new_for_old';

/**
 * The payout engine's input for an assessment by rule: the evidenced items on the cover that
 * answers the cause, no depreciation taken (the add-on or not, nothing is aged by rule), and for
 * object damage a market value of what the cover insures as the contract states it
 * ({@link coverValue}: the cover's own value, or the policy's on a one-cover policy), else its sum
 * insured (no average clause: a policy's value shared by several covers is not this cover's).
 * `used` is what other claims of the policy period took from the covers (core/payout.ts `sumInsuredUsed`).
 */
export function rulePayoutInput(
  policy: Pick<Policy, 'covers' | 'insuredValue' | 'addOns'>,
  cover: Cover,
  items: LossItem[],
  used: readonly CoverUsed[],
): PayoutInputIn {
  const objectDamage = items.some((i) => i.kind === 'repair' || i.kind === 'replacement');
  return {
    items,
    covers: policy.covers,
    marketValue: objectDamage
      ? (coverValue(cover, policy.covers, policy.insuredValue) ?? cover.sumInsured)
      : undefined,
    insuredValue: policy.insuredValue,
    depreciation: { bpsPerYear: 0, maxBps: 0, waived: policy.addOns.includes(NEW_FOR_OLD) },
    ...(used.length > 0 ? { sumInsuredUsed: [...used] } : {}),
  };
}
