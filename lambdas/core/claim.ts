import type { WorkflowFailure } from './workflow-failures.ts';
import type { ClaimAppeal } from './appeal.ts';
import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import type { Role } from '../shared/roles.ts';
import type { DocumentWaiver, RegisteredContact } from './controls.ts';
import type { EInvoice } from './einvoice.ts';
import { MAX_AMOUNT, Money } from './money.ts';
import type { StoredBankAccount, StoredReport } from './payout-account.ts';
import type { PayoutAccountCheck } from './payout-account-check.ts';
import type { PrivacyNoticeRecord } from './privacy-notice.ts';
import type { Evidence } from './straight-through.ts';
import { CAUSES, DOCUMENT_TYPES, type PRODUCT_CODES, PRODUCT_LINES, SeverityBand } from './products.ts';

/** The first-notice-of-loss contract, shared by the API, the OpenAPI document and both web apps. */
export {
  BankAccount,
  ClaimFacts,
  Contact,
  HealthFacts,
  MotorFacts,
  PropertyFacts,
  type SubmitClaimInput,
  SubmitClaimRequest,
  TravelFacts,
  VN_PHONE,
} from './requests.ts';

const trimmed = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const CLAIM_STATUSES = [
  'SUBMITTED',
  'REFERRED',
  'AWAITING_DOCUMENTS',
  'UNDER_ASSESSMENT',
  'INFO_REQUESTED',
  'ASSESSED',
  'PENDING_APPROVAL',
  'JOINT_REVIEW',
  'APPROVED',
  'PARTIALLY_APPROVED',
  'REJECTED',
  'PAYMENT_QUEUED',
  'PAID',
  'CLOSED',
  'CLOSED_NO_RESPONSE',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CHECK_CODES = [
  'POLICY_NOT_FOUND',
  'POLICY_NOT_OWNED',
  'POLICY_NOT_IN_FORCE',
  'PERIL_NOT_COVERED',
  /** A version recorded after the loss widens cover, or the policy was first recorded after it. */
  'POLICY_CHANGED_AFTER_LOSS',
  'LOSS_IN_FUTURE',
  'LEGAL_WINDOW_EXPIRED',
  'LATE_NOTICE',
  'POSSIBLE_DUPLICATE',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export const CheckResult = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    code: z.enum(CHECK_CODES),
    /** `block` stops straight-through handling and refers the claim to a person; `warn` flags it. */
    severity: z.enum(['block', 'warn']),
    /** Values a reader needs to understand the reason (dates, window lengths, the other claim). */
    params: z._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), {}),
  }),
);
export type CheckResult = z.infer<typeof CheckResult>;

export const Classification = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    line: z.enum(PRODUCT_LINES),
    cause: z.enum(CAUSES),
    severityBand: SeverityBand,
    reserve: Money,
  }),
);
export type Classification = z.infer<typeof Classification>;

export const Channel = /* @__PURE__ */ defineSchema(() => z.enum(['web', 'phone', 'email']));
export type Channel = z.infer<typeof Channel>;

/**
 * A document's life: an upload intent, then verified or quarantined when the bytes land; the
 * customer may withdraw their own document before anyone relied on it (core/dossier.ts
 * {@link withdrawalRefusal}): the record and the bytes are kept, it just stops counting.
 */
export const DocumentStatus = /* @__PURE__ */ defineSchema(() =>
  z.enum(['PENDING_UPLOAD', 'VERIFIED', 'QUARANTINED', 'WITHDRAWN']),
);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

export const ClaimDocument = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    documentId: z.string(),
    claimId: z.string(),
    docType: z.enum(DOCUMENT_TYPES),
    fileName: z.string(),
    declaredContentType: z.string(),
    declaredSize: z.int(),
    status: DocumentStatus,
    key: z.string(),
    requestedAt: z.string(),
    verifiedAt: z.optional(z.string()),
    detectedType: z.optional(z.string()),
    size: z.optional(z.int()),
    sha256: z.optional(z.string()),
    rejectionReason: z.optional(z.string()),
    duplicateOf: z.optional(z.array(z.string())),
    uploadedBy: z.enum(['customer', 'staff']),
    /** The invoice/receipt total the uploader declared with the document (whole đồng). */
    declaredAmount: z.optional(z.int().check(z.gte(1), z.lte(MAX_AMOUNT))),
    /** The e-invoice read from an XML upload (core/einvoice.ts). */
    einvoice: z.optional(z.custom<EInvoice>((v) => typeof v === 'object' && v !== null)),
    /** Who asked for the upload when staff did (recorded as the actor of the verification). */
    uploader: z.optional(z.strictObject({ id: z.string(), role: z.string() })),
    /** When the customer withdrew it, and the status it had then (VERIFIED or QUARANTINED). */
    withdrawnAt: z.optional(z.string()),
    statusBeforeWithdrawal: z.optional(z.enum(['VERIFIED', 'QUARANTINED'])),
  }),
);
export type ClaimDocument = z.infer<typeof ClaimDocument>;

/**
 * The stored claim. Everything the customer sent is kept in `report`, verbatim except the payout
 * account number, which is sealed (core/payout-account.ts).
 */
export interface Claim {
  claimId: string;
  claimNumber: string;
  customerId: string;
  policyNumber: string;
  /**
   * The policy version the claim was filed and checked against: later endorsements or a
   * cancellation do not change what this claim is assessed on (absent on claims filed before).
   */
  policyVersion?: number;
  productCode: (typeof PRODUCT_CODES)[number] | 'UNKNOWN';
  channel: Channel;
  status: ClaimStatus;
  report: StoredReport;
  locale: 'vi' | 'en';
  checks: CheckResult[];
  classification?: Classification;
  requiredDocuments: (typeof DOCUMENT_TYPES)[number][];
  receivedDocuments: (typeof DOCUMENT_TYPES)[number][];
  dossierCompleteAt?: string;
  acknowledgedAt?: string;
  submittedAt: string;
  updatedAt: string;
  /**
   * The version people edit against (`expectedVersion` / ETag): bumped by every change a person
   * makes and by every status change, not by system bookkeeping such as deadline scheduling.
   */
  version: number;
  /** Optimistic-locking counter of the stored item: bumped on every write, whoever makes it. */
  revision: number;
  lastEventSeq: number;
  lastEventHash: string;
  /** Step Functions task token while the workflow waits for a person. */
  waitToken?: string;
  /** What the workflow waits for while `waitToken` is set. */
  waitingFor?: 'assessment' | 'information' | 'supervisor' | 'department' | 'payment';
  assignee?: { staffId: string; role: string; name?: string; reason?: unknown };
  /** When the customer last confirmed a new payout account (its payouts wait out the cooling-off). */
  payoutAccountChangedAt?: string;
  /** Staff who handled the claim before it was reassigned away from them (oldest first, each once). */
  formerAssignees?: string[];
  nextDeadline?: { kind: string; dueAt: string };
  executionArn?: string;
  /** Set once automatic assignment ran (whether to a person or to a queue). */
  assignedQueue?: string;
  straightThrough?: { eligible: boolean; reasons: string[]; evidence?: Evidence };
  assessment?: ClaimAssessment;
  /**
   * Staff who recorded an assessment of the claim, each once, oldest first: a re-assessment replaces
   * `assessment.recordedBy`, not the fact that the first assessor worked on the claim (SoD checks).
   * Claims assessed before it was kept know only their latest assessor.
   */
  assessors?: string[];
  decision?: ClaimDecision;
  approvals?: ApprovalRound[];
  /** Task tokens of department reviewers while a joint decision is open (never shown to clients). */
  voteTokens?: Partial<Record<Department, string>>;
  infoRequests?: InfoRequest[];
  inspections?: Inspection[];
  deadlines?: ClaimDeadline[];
  payment?: {
    amount: { amount: number; currency: 'VND' };
    queuedAt: string;
    dueAt?: string;
    paidAt?: string;
    /** The payment batch the bank paid it in. */
    batchId?: string;
  };
  /**
   * Red flags that fired (core/fraud/red-flags.ts), each with its weight and sentence. Staff only;
   * they block straight-through only while the claim is with the SIU (see `openFraudIndicators`).
   */
  fraudIndicators?: { code: string; weight: number; detail?: string | { vi: string; en: string } }[];
  /** The latest fraud score (staff only): model score, contributions, links to other customers' claims. */
  fraud?: FraudRecord;
  /** Set once the claim is referred to the SIU; the outcome becomes the claim's label. */
  siu?: SiuCase;
  /** Staff member who filed the claim for the customer (phone channel); never auto-assigned it. */
  filedBy?: { id: string; role: string };
  /**
   * The privacy notice given before the claim was filed (Decree 13/2023 Art. 13): which version,
   * when, and whether shown in the app or read out on the phone (core/privacy-notice.ts). Absent on
   * a claim made from an e-mail and on claims filed before it was recorded.
   */
  privacyNotice?: PrivacyNoticeRecord;
  /**
   * The customer's name as registered when the claim was filed: the acknowledgement, sent seconds
   * later, greets by it without reading the profile again (later letters read the profile as it is
   * then). Absent on claims filed before it was kept, or for a customer with no profile.
   */
  customerName?: string;
  /** Required documents a supervisor decided to go ahead without (see core/controls.ts). */
  waivers?: DocumentWaiver[];
  /**
   * Set when the contact given on the claim differs from the customer's registered one: until the
   * customer confirms it, notifications go to `registered`.
   */
  contactCheck?: {
    status: 'unconfirmed' | 'confirmed';
    registered: RegisteredContact;
    confirmedAt?: string;
  };
  /**
   * Set when staff typed the payout account (core/payout-account-check.ts): while `unconfirmed` the
   * payment is held until the customer confirms the account or a supervisor verifies it with them.
   */
  payoutAccountCheck?: PayoutAccountCheck;
  /** A new payout account the customer asked for, waiting for the code sent to their registered contact. */
  payoutAccountChange?: {
    account: StoredBankAccount;
    /** SHA-256 of claim id + code; the code itself is never stored. */
    codeHash: string;
    requestedAt: string;
    expiresAt: string;
    /** Wrong codes entered today (Vietnam day of `requestedAt`), across every code sent that day. */
    attempts: number;
    /** Codes sent today for this claim, this one included (absent on changes asked before it was kept: 1). */
    requests?: number;
  };
  /** Advance payments approved before the decision (compulsory motor TPL); the final payout deducts them. */
  advances?: {
    n: number;
    amount: { amount: number; currency: 'VND' };
    note: string;
    approvedAt: string;
    approvedBy: { id: string; role: string };
    /** When the bank confirmed its transfer (the confirmation file's import). */
    paidAt?: string;
  }[];
  /**
   * While set, finance does not put the payout in a payment batch. `payout_account_change`: the
   * payout account waits for the customer's confirmation — a change they asked for
   * (`payoutAccountChange`) or an account staff typed in (`payoutAccountCheck`); `siu_referral`: the SIU.
   */
  paymentHold?: { reason: 'payout_account_change' | 'siu_referral'; since: string };
  /** Invoices of this claim found on another claim too (the INVOICE# lookup item). */
  invoiceFlags?: InvoiceFlag[];
  /** Set when a straight-through payment was sampled for review after payment. */
  postAudit?: PostAudit;
  /** The workflow stopped on a failed step (core/workflow-failures.ts); cleared when acknowledged. */
  workflowFailure?: WorkflowFailure;
  /** The customer's appeal against a rejection (core/appeal.ts). */
  appeal?: ClaimAppeal;
}

export const LINK_KINDS = ['DOC', 'BANK', 'PHONE', 'EMAIL', 'PLATE'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Other customers' claims that share one attribute with this claim (the network view). */
export interface FraudLink {
  kind: LinkKind;
  claims: { claimId: string; claimNumber: string }[];
}

export interface FraudRecord {
  score: number;
  threshold: number;
  contributions: { feature: string; value: string | number | null; contribution: number }[];
  /** Why the claim went to the SIU (empty when it did not). */
  reasons: ('SCORE_ABOVE_THRESHOLD' | 'RED_FLAGS')[];
  links: FraudLink[];
  /** The feature row as scored (core/fraud/features.ts): what the SIU export writes for training. */
  features: Record<string, string | number | null>;
  scoredAt: string;
  /** What made it score: receipt (the workflow step) or a new fact (the claim-event stream). */
  trigger: 'receipt' | 'documents' | 'information' | 'assessment' | 'payout_account';
  /** `trainedAt` of the model. */
  model: string;
  /** Self-declared facts scored as not answered, because the answer would have lowered the score. */
  scoredUnanswered?: string[];
}

export const SIU_STATUSES = ['referred', 'investigating', 'closed'] as const;
export type SiuStatus = (typeof SIU_STATUSES)[number];
export const SIU_OUTCOMES = ['confirmed', 'cleared'] as const;
export type SiuOutcome = (typeof SIU_OUTCOMES)[number];

/**
 * The claim's SIU case: the current one, with the cases closed before it in `history`. A claim
 * referred again after a case was closed opens a new case; the closed one moves to `history`, so
 * no referral erases an outcome (core/fraud/siu.ts `standingConfirmation`).
 */
export interface SiuCase {
  status: SiuStatus;
  referredAt: string;
  reasons: string[];
  score: number;
  /** Staff who referred this case by hand, each once (a referral by the score or a control has none). */
  referredBy?: { id: string; role: string }[];
  startedAt?: string;
  investigator?: { id: string; role: string };
  outcome?: SiuOutcome;
  note?: string;
  closedAt?: string;
  closedBy?: { id: string; role: string };
  /**
   * Set on a case closed `cleared` while an earlier case's `confirmed` stood: the finding it
   * overturned (who confirmed it, when). Only a second SIU reviewer overturns (`closeInvestigation`).
   */
  overturned?: { closedAt: string; closedBy: { id: string; role: string } };
  /**
   * The red-flag codes and the score the claim carried when the case was closed: a later score
   * refers a cleared claim again only for a flag not among them (core/fraud/siu.ts `referOnScore`).
   */
  flagsAtClose?: string[];
  scoreAtClose?: number;
  /** The claim's earlier cases, closed, oldest first (none of them carries a history of its own). */
  history?: Omit<SiuCase, 'history'>[];
}

export interface InvoiceFlag {
  code: 'INVOICE_DUPLICATE';
  sellerTaxCode: string;
  series: string;
  number: string;
  /** The claim the invoice is also on. */
  otherClaimId: string;
  documentId: string;
  flaggedAt: string;
}

export const POST_AUDIT_OUTCOMES = ['confirmed', 'irregular'] as const;
export type PostAuditOutcome = (typeof POST_AUDIT_OUTCOMES)[number];

export interface PostAudit {
  status: 'pending' | 'reviewed';
  sampledAt: string;
  shareBps: number;
  amount: { amount: number; currency: 'VND' };
  outcome?: PostAuditOutcome;
  note?: string;
  reviewedAt?: string;
  reviewedBy?: { id: string; role: string };
}

// ---------------------------------------------------------------------------------------------
// Assessment, decisions and approvals (the adjuster console and the joint-decision workflow).
// ---------------------------------------------------------------------------------------------

export const DEPARTMENTS = ['claims', 'underwriting', 'legal', 'finance'] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Who speaks for each department in a joint decision (the claims department is its supervisors). */
export const DEPARTMENT_ROLE: Record<Department, Role> = {
  claims: 'supervisor',
  underwriting: 'underwriting',
  legal: 'legal',
  finance: 'finance',
};

/** A rejection must cite the policy clause it rests on (Law 08/2022 Art. 20(2)(e)). */
export const RejectionReason = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    clause: trimmed(1, 120),
    text: trimmed(10, 2000),
  }),
);
export type RejectionReason = z.infer<typeof RejectionReason>;

export interface ClaimAssessment {
  /** The payout engine's input as recorded (loss items, values, reductions…). */
  input: Record<string, unknown>;
  payable: { amount: number; currency: 'VND' };
  totalLoss: boolean;
  steps: unknown[];
  recordedAt: string;
  recordedBy: { id: string; role: string };
  /** `rule` when straight-through processing assessed it without a person. */
  method: 'adjuster' | 'rule';
}

export interface ClaimDecision {
  outcome: 'approve' | 'partial' | 'reject';
  amount: { amount: number; currency: 'VND' };
  reasons: RejectionReason[];
  decidedAt: string;
  decidedBy: { id: string; role: string };
  note?: string;
  /**
   * A rejection: the last instant it may be appealed, fixed when it is decided (the letter states
   * it), so a later change to the product's appeal window or the calendar moves nothing.
   */
  appealBy?: string;
}

export interface Vote {
  department: Department;
  userId: string;
  role: string;
  vote: 'approve' | 'reject';
  comment: string;
  at: string;
}

export interface ApprovalRound {
  round: number;
  route: 'supervisor' | 'joint';
  amount: { amount: number; currency: 'VND' };
  outcome: 'approve' | 'partial';
  requestedAt: string;
  requestedBy: { id: string; role: string };
  departments: Department[];
  quorum: number;
  votes: Vote[];
  status: 'open' | 'approved' | 'sent_back';
}

export interface InfoRequest {
  requestId: string;
  message: string;
  documents: (typeof DOCUMENT_TYPES)[number][];
  requestedAt: string;
  requestedBy: { id: string; role: string };
  dueAt: string;
  respondedAt?: string;
  response?: string;
  status: 'open' | 'answered' | 'expired';
}

export interface Inspection {
  inspectionId: string;
  at: string;
  place: string;
  note?: string;
  status: 'proposed' | 'confirmed' | 'reschedule_requested' | 'done' | 'cancelled';
  proposedBy: { id: string; role: string };
  customerProposal?: { at: string; comment?: string };
}

export interface ClaimDeadline {
  /** Identifies the deadline across re-plans (kind + anchor + start). */
  id?: string;
  from?: string;
  anchorAt?: string;
  remindedAt?: string;
  metAt?: string;
  kind: string;
  dueAt: string;
  atRiskAt: string;
  basis: string;
  /**
   * `met`: the obligation was fulfilled; `cancelled`: it no longer applies; `closed`: the customer's
   * time to answer ran out and the claim was closed for it (not a success, not the insurer's breach).
   */
  status: 'open' | 'at_risk' | 'met' | 'breached' | 'cancelled' | 'closed';
  scheduleNames: string[];
}
