import { appealDeadline } from '../core/appeal.ts';
import { customerChecks, customerEventData } from '../core/audience.ts';
import { type HolidayCalendar, VN_DEFAULT_CALENDAR } from '../core/calendar.ts';
import type { Claim, ClaimDeadline, ClaimDocument, ClaimStatus } from '../core/claim.ts';
import { missingDocuments, withdrawalRefusal } from '../core/dossier.ts';
import type { ClaimEvent, EventType } from '../core/events.ts';
import { advanceCeiling, advancedAmount, finalTransfer } from '../core/finance.ts';
import { causeCeiling } from '../core/payout.ts';
import { blockingChecks } from '../core/approval-route.ts';
import { NO_ADVANCE_STATUSES } from '../core/lifecycle.ts';
import { maskedReport } from '../core/payout-account.ts';
import type { Policy } from '../core/policy.ts';
import { type DocumentType, productByCode, type ProductConfig } from '../core/products.ts';
import type { ClaimFacts } from '../core/requests.ts';
import type { Role } from '../shared/roles.ts';

export interface TimelineEntry {
  seq: number;
  at: string;
  type: EventType;
  /** `system`, `customer` or the staff role (never a staff member's name for customers). */
  by: string;
  data: Record<string, unknown>;
  actorId?: string;
  /** Staff audience only: the acting person's name. */
  actorName?: string;
}

export interface NextStep {
  code:
    | 'PROCESSING'
    | 'UNDER_REVIEW'
    | 'UPLOAD_DOCUMENTS'
    | 'ANSWER_REQUEST'
    | 'ASSESSMENT'
    | 'DECISION'
    | 'PAYMENT'
    | 'NONE';
  dueAt?: string;
  basis?: string;
}

export function buildTimeline(
  events: readonly ClaimEvent[],
  audience: 'customer' | 'staff',
  names: ReadonlyMap<string, string> = new Map(),
): TimelineEntry[] {
  const by = (e: ClaimEvent) => (e.actor.kind === 'staff' ? (e.actor.role ?? 'staff') : e.actor.kind);
  if (audience === 'staff')
    return events.map((e) => ({
      seq: e.seq,
      at: e.at,
      type: e.type,
      by: by(e),
      data: e.data ?? {},
      actorId: e.actor.id,
      actorName: e.actor.id ? names.get(e.actor.id) : undefined,
    }));
  // What of an event is internal is decided once, in core/audience.ts. The customer's entries are
  // numbered among themselves: the chain's own numbers would leave gaps where internal events are
  // (a referral to the SIU, a note), which tell what they hide.
  return events
    .flatMap((e) => {
      const data = customerEventData(e.type, e.data ?? {});
      return data ? [{ at: e.at, type: e.type, by: by(e), data }] : [];
    })
    .map((entry, i) => ({ seq: i + 1, ...entry }));
}

/** The latest tracked deadline of a kind that still runs (open, at risk or past due; not met or ended). */
function running(claim: Claim, kind: ClaimDeadline['kind']): Pick<NextStep, 'dueAt' | 'basis'> {
  const d = (Array.isArray(claim.deadlines) ? claim.deadlines : [])
    .filter(
      (x) => x.kind === kind && (x.status === 'open' || x.status === 'at_risk' || x.status === 'breached'),
    )
    .at(-1);
  return d ? { dueAt: d.dueAt, basis: d.basis } : {};
}

/**
 * What the customer is waiting for or asked to do, with the date of the deadline that actually runs
 * on the claim (the deadline engine's, app/deadlines.ts): never a date worked out again from the
 * product's rules, which knows nothing of a request for information, an appeal or a paused clock.
 */
export function nextStep(claim: Claim): NextStep {
  const s: ClaimStatus = claim.status;
  if (s === 'SUBMITTED') return { code: 'PROCESSING' };
  if (s === 'REFERRED') return { code: 'UNDER_REVIEW' };
  if (['CLOSED', 'CLOSED_NO_RESPONSE', 'REJECTED', 'PAID'].includes(s)) return { code: 'NONE' };
  if (s === 'APPROVED' || s === 'PARTIALLY_APPROVED' || s === 'PAYMENT_QUEUED') {
    const pay = running(claim, 'payment');
    return {
      code: 'PAYMENT',
      ...(pay.dueAt ? pay : claim.payment?.dueAt ? { dueAt: claim.payment.dueAt } : {}),
    };
  }
  if (s === 'INFO_REQUESTED') {
    // The answer is due when the request says, the day an unanswered claim is closed.
    const request = claim.infoRequests?.filter((r) => r.status === 'open').at(-1);
    const close = running(claim, 'no_response_close');
    return { code: 'ANSWER_REQUEST', ...(request ? { dueAt: request.dueAt, basis: close.basis } : close) };
  }
  if (missingDocuments(claim.requiredDocuments, claim.receivedDocuments).length > 0)
    return { code: 'UPLOAD_DOCUMENTS', ...running(claim, 'documents_reminder') };
  const code = ['PENDING_APPROVAL', 'JOINT_REVIEW', 'ASSESSED'].includes(s) ? 'DECISION' : 'ASSESSMENT';
  // A claim reopened by an appeal waits for the appeal's decision; otherwise the insurer's promise
  // that runs is to pay within the legal time from the complete dossier.
  return {
    code,
    ...(claim.appeal?.status === 'open' ? running(claim, 'appeal_decision') : running(claim, 'payment')),
  };
}

export function documentView(d: ClaimDocument) {
  return {
    documentId: d.documentId,
    docType: d.docType,
    fileName: d.fileName,
    status: d.status,
    size: d.size ?? d.declaredSize,
    contentType: d.detectedType ?? d.declaredContentType,
    requestedAt: d.requestedAt,
    verifiedAt: d.verifiedAt,
    rejectionReason: d.rejectionReason,
    withdrawnAt: d.withdrawnAt,
    uploadedBy: d.uploadedBy,
    declaredAmount: d.declaredAmount,
    einvoice: d.einvoice
      ? {
          seller: d.einvoice.seller,
          series: `${d.einvoice.template}${d.einvoice.series}`,
          number: d.einvoice.number,
          issuedOn: d.einvoice.issuedOn,
          lines: d.einvoice.lines,
          totals: d.einvoice.totals,
        }
      : undefined,
  };
}

/**
 * Who sees each field of the stored claim: `everyone` as stored, `staff` only (customers never see
 * it), `never` (workflow tokens, the chain head, a code's hash), or `shaped`: `claimView` rewrites it
 * for each audience below. A `Record` over every key, so a field added to `Claim` does not compile
 * until someone decides who may read it.
 */
export const WHO_SEES: Readonly<Record<keyof Claim, 'everyone' | 'staff' | 'never' | 'shaped'>> = {
  claimId: 'everyone',
  claimNumber: 'everyone',
  customerId: 'everyone',
  policyNumber: 'everyone',
  policyVersion: 'everyone',
  productCode: 'everyone',
  channel: 'everyone',
  status: 'everyone',
  report: 'shaped',
  locale: 'everyone',
  checks: 'shaped',
  classification: 'shaped',
  requiredDocuments: 'everyone',
  receivedDocuments: 'everyone',
  dossierCompleteAt: 'everyone',
  acknowledgedAt: 'everyone',
  submittedAt: 'everyone',
  updatedAt: 'everyone',
  version: 'everyone',
  revision: 'everyone',
  lastEventSeq: 'staff',
  lastEventHash: 'never',
  waitToken: 'never',
  waitingFor: 'staff',
  assignee: 'staff',
  formerAssignees: 'staff',
  payoutAccountChangedAt: 'everyone',
  nextDeadline: 'staff',
  executionArn: 'never',
  assignedQueue: 'staff',
  straightThrough: 'staff',
  assessment: 'shaped',
  assessors: 'staff',
  decision: 'shaped',
  approvals: 'staff',
  voteTokens: 'never',
  infoRequests: 'shaped',
  inspections: 'shaped',
  deadlines: 'staff',
  payment: 'shaped',
  fraudIndicators: 'staff',
  fraud: 'staff',
  siu: 'staff',
  filedBy: 'staff',
  // The customer's own record of the privacy notice they were given (which version, when, how).
  privacyNotice: 'everyone',
  customerName: 'everyone',
  waivers: 'staff',
  contactCheck: 'everyone',
  // Who typed the account and who verified it are staff's business; the customer sees whether it waits for them.
  payoutAccountCheck: 'shaped',
  // The code's hash and the sealed new account; `pendingPayoutAccount` shows the safe part.
  payoutAccountChange: 'never',
  advances: 'shaped',
  paymentHold: 'shaped',
  invoiceFlags: 'staff',
  postAudit: 'staff',
  // The failed step, its error and cause (AWS error text): staff act on it from the alerts.
  workflowFailure: 'staff',
  appeal: 'shaped',
};
const fieldsFor = (...kinds: string[]) =>
  Object.entries(WHO_SEES)
    .filter(([, who]) => kinds.includes(who))
    .map(([k]) => k);
const HIDDEN_FROM_STAFF: ReadonlySet<string> = new Set(fieldsFor('never'));
const HIDDEN_FROM_CUSTOMERS: ReadonlySet<string> = new Set(fieldsFor('never', 'staff'));

/** The claim as the API returns it. Customers never see reserves, staff ids, votes or internal events. */
export function claimView(
  claim: Claim,
  events: readonly ClaimEvent[],
  documents: readonly ClaimDocument[],
  products: readonly ProductConfig[],
  audience: 'customer' | 'staff',
  /** Staff names by user id, for the staff timeline. */
  names: ReadonlyMap<string, string> = new Map(),
  /** The holiday calendar in force: an appeal window in working days ends where the appeal route says. */
  calendar: HolidayCalendar = VN_DEFAULT_CALENDAR,
  /** Staff: the claim's policy, whose covers bound an advance. */
  policy?: Pick<Policy, 'covers'>,
) {
  const product = claim.productCode === 'UNKNOWN' ? undefined : productByCode(products, claim.productCode);
  const hidden = audience === 'customer' ? HIDDEN_FROM_CUSTOMERS : HIDDEN_FROM_STAFF;
  const visible = Object.fromEntries(Object.entries(claim).filter(([k]) => !hidden.has(k))) as Partial<Claim>;
  const { classification, assessment, decision } = claim;
  const customer = audience === 'customer';
  // A decision waiting for a supervisor or the departments is not final: customers see it once it is.
  const final = decision && !['PENDING_APPROVAL', 'JOINT_REVIEW'].includes(claim.status);
  const roleOnly = (who: { role: string }) => ({ role: who.role });
  return {
    ...visible,
    // Everyone sees the payout account masked (customers too: they typed it, and a screen is not a
    // safe place for it); finance reveals the full number through an audited route.
    report: maskedReport(claim.report),
    // Internal check results (a possible duplicate names another claim) are for staff only.
    checks: customer ? customerChecks(claim.checks) : claim.checks,
    // Customers see their own account-change hold; an SIU hold is never named to them.
    paymentHold:
      customer && claim.paymentHold?.reason !== 'payout_account_change' ? undefined : claim.paymentHold,
    payoutAccountCheck:
      customer && claim.payoutAccountCheck
        ? { status: claim.payoutAccountCheck.status }
        : claim.payoutAccountCheck,
    pendingPayoutAccount: claim.payoutAccountChange
      ? {
          bankName: claim.payoutAccountChange.account.bankName,
          accountHolder: claim.payoutAccountChange.account.accountHolder,
          accountMask: claim.payoutAccountChange.account.accountMask,
          requestedAt: claim.payoutAccountChange.requestedAt,
          expiresAt: claim.payoutAccountChange.expiresAt,
        }
      : undefined,
    classification:
      classification && customer
        ? {
            line: classification.line,
            cause: classification.cause,
            severityBand: classification.severityBand,
          }
        : classification,
    // Customers see how the payout was worked out once there is a final decision, not before.
    assessment: !customer
      ? assessment
      : final && assessment
        ? { ...assessment, recordedBy: roleOnly(assessment.recordedBy) }
        : undefined,
    decision: !customer
      ? decision
      : final && decision
        ? {
            outcome: decision.outcome,
            amount: decision.amount,
            reasons: decision.reasons,
            decidedAt: decision.decidedAt,
          }
        : undefined,
    infoRequests: customer
      ? claim.infoRequests?.map((r) => ({ ...r, requestedBy: roleOnly(r.requestedBy) }))
      : claim.infoRequests,
    // Customers see the advances paid to them and when the bank confirmed each, not who approved
    // them or the internal note.
    advances: customer
      ? claim.advances?.map((a) => ({ n: a.n, amount: a.amount, approvedAt: a.approvedAt, paidAt: a.paidAt }))
      : claim.advances,
    // The final transfer with how it is made up (decision − advances + late interest); the batch it
    // went in is finance's business.
    payment: claim.payment
      ? {
          amount: claim.payment.amount,
          queuedAt: claim.payment.queuedAt,
          dueAt: claim.payment.dueAt,
          paidAt: claim.payment.paidAt,
          ...(customer ? {} : { batchId: claim.payment.batchId }),
          parts: finalTransfer(claim),
        }
      : undefined,
    inspections: customer
      ? claim.inspections?.map((i) => ({ ...i, proposedBy: roleOnly(i.proposedBy) }))
      : claim.inspections,
    documents: documents
      .filter((d) => audience === 'staff' || d.status !== 'PENDING_UPLOAD')
      .map((d) => ({
        ...documentView(d),
        // Whether the customer may still take it back (one rule: core/dossier.ts withdrawalRefusal).
        withdrawable: withdrawalRefusal(claim, d) === undefined,
      })),
    missingDocuments: missingDocuments(claim.requiredDocuments, claim.receivedDocuments),
    timeline: buildTimeline(events, audience, names),
    // The appeal (core/appeal.ts): customers see the rejection they appealed without who decided it.
    appeal:
      claim.appeal && customer
        ? {
            ...claim.appeal,
            rejection: {
              reasons: claim.appeal.rejection.reasons,
              decidedAt: claim.appeal.rejection.decidedAt,
            },
          }
        : claim.appeal,
    // Until when the rejection can be appealed: the window the appeal route enforces and the
    // rejection letter states (the product's rule, the holiday calendar in force).
    appealableUntil:
      claim.status === 'REJECTED' && !claim.appeal && claim.decision?.outcome === 'reject'
        ? appealDeadline(claim.decision, product, calendar).toISOString()
        : undefined,
    // Staff: whether an advance payment can be approved now, and how much more the route accepts.
    ...(customer ? {} : { advancePayment: advancePaymentView(claim, product, policy) }),
    nextStep: nextStep(claim),
  };
}

export function claimSummary(c: Claim) {
  return {
    claimId: c.claimId,
    claimNumber: c.claimNumber,
    policyNumber: c.policyNumber,
    productCode: c.productCode,
    status: c.status,
    cause: c.report.cause,
    lossAt: c.report.lossAt,
    estimatedAmount: c.report.estimatedAmount,
    submittedAt: c.submittedAt,
    updatedAt: c.updatedAt,
    missingDocuments: missingDocuments(c.requiredDocuments, c.receivedDocuments),
    version: c.version,
  };
}

/**
 * Whether an advance can be approved now and how much more the claim's advances may add up to:
 * what is left under the ceiling the advance route enforces (core/finance.ts `advanceCeiling`, with
 * the same limits app/advance-payment.ts passes it), and which limit that is, so the console's hint
 * is the amount the API accepts. Without the policy (the route refuses then) nothing is left.
 */
export function advancePaymentView(
  claim: Claim,
  product: ProductConfig | undefined,
  policy: Pick<Policy, 'covers'> | undefined,
) {
  const advanced = advancedAmount(claim);
  const ceiling = policy
    ? advanceCeiling(claim, {
        coverLimit: causeCeiling(policy.covers, claim.report.cause),
        jointThreshold: product?.jointDecision?.threshold,
      })
    : undefined;
  return {
    available:
      Boolean(product?.deadlines.some((d) => d.kind === 'advance_payment')) &&
      !NO_ADVANCE_STATUSES.includes(claim.status) &&
      blockingChecks(claim.checks).length === 0 &&
      ceiling !== undefined,
    advanced,
    /** What more the advances may add up to, and the limit that sets it (absent without the policy). */
    left: Math.max(0, (ceiling?.amount ?? 0) - advanced),
    ...(ceiling ? { ceiling: ceiling.code } : {}),
  };
}

/**
 * The staff roles whose work needs the whole loss report: handling, deciding, underwriting,
 * disputes and fraud. The other roles that may read a claim (admin for support and configuration,
 * finance for payments, and any role added later until it is put here) do not see the medical
 * details of a health claim, the customer's own account of it or the medical records sent with
 * any claim, nor the other party's name and phone (Decree 13/2023/ND-CP: personal data processed
 * only as far as the purpose needs; health data is sensitive data).
 */
export const FULL_REPORT_ROLES: readonly Role[] = ['adjuster', 'supervisor', 'underwriting', 'legal', 'siu'];

/** Whether a staff caller with `roles` reads a claim whole (one of {@link FULL_REPORT_ROLES}). */
export const readsFullReport = (roles: readonly Role[]): boolean =>
  roles.some((r) => FULL_REPORT_ROLES.includes(r));

/**
 * The documents that are medical records whatever the claim's line (a travel claim's medical
 * report too): only {@link FULL_REPORT_ROLES} open them. Invoices stay open to finance, which pays
 * against them.
 */
export const HEALTH_DOCUMENT_TYPES: readonly DocumentType[] = [
  'medical_report',
  'discharge_paper',
  'prescription',
];

/**
 * A claim whose free text (the description, requests for information and their answers) is about
 * someone's health: a health claim, or medical costs abroad on a travel claim.
 */
const isHealthClaim = (report: { cause: string; facts: { kind: string } }) =>
  report.facts.kind === 'health' || report.cause === 'medical_abroad';

type ClaimView = ReturnType<typeof claimView>;

/**
 * What {@link forRoles} took out of a claim view, so the console can say it is not shown:
 * `health_details` the report's medical facts, `description` the customer's account of the loss,
 * `info_request_text` what was asked and answered in requests for information, `health_documents`
 * the medical records (listed, not opened), `other_party_contact` the other party's name and phone.
 */
export type Withheld =
  | 'health_details'
  | 'description'
  | 'info_request_text'
  | 'health_documents'
  | 'other_party_contact';

/** A report's facts without what only {@link FULL_REPORT_ROLES} see. */
type LimitedFacts =
  | Exclude<ClaimFacts, { kind: 'health' | 'motor' }>
  | { kind: 'health' }
  | (Omit<Extract<ClaimFacts, { kind: 'motor' }>, 'otherParty'> & {
      otherParty?: Pick<
        NonNullable<Extract<ClaimFacts, { kind: 'motor' }>['otherParty']>,
        'vehiclePlate' | 'insurer'
      >;
    });

function limitedFacts(facts: ClaimFacts): { facts: LimitedFacts; withheld: Withheld[] } {
  if (facts.kind === 'health') return { facts: { kind: 'health' }, withheld: ['health_details'] };
  if (facts.kind === 'motor' && facts.otherParty) {
    const { name, phone, ...kept } = facts.otherParty;
    return {
      facts: { ...facts, otherParty: kept },
      withheld: name !== undefined || phone !== undefined ? ['other_party_contact'] : [],
    };
  }
  return { facts, withheld: [] };
}

type Report = ClaimView['report'];
/** The report as a limited role reads it: limited facts, no description on a health claim. */
type LimitedReport = Omit<Report, 'facts' | 'description'> & { facts: LimitedFacts; description?: string };

function limitedReport(report: Report): { report: LimitedReport; withheld: Withheld[] } {
  const facts = limitedFacts(report.facts);
  if (!isHealthClaim(report)) return { report: { ...report, facts: facts.facts }, withheld: facts.withheld };
  const { description: _, ...rest } = report;
  return { report: { ...rest, facts: facts.facts }, withheld: [...facts.withheld, 'description'] };
}

const isReport = (x: unknown): x is Report =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as { facts?: { kind?: unknown } }).facts?.kind === 'string';

const isHealthDocument = (docType: unknown) => HEALTH_DOCUMENT_TYPES.some((t) => t === docType);

/** A timeline entry without what the caller's role does not read (the report as filed, the text of a request or answer, a medical record's file name). */
function limitedEntry(e: TimelineEntry, healthClaim: boolean): TimelineEntry {
  if (isReport(e.data.report))
    return { ...e, data: { ...e.data, report: limitedReport(e.data.report).report } };
  if (healthClaim && (e.type === 'InfoRequested' || e.type === 'InfoProvided')) {
    const { message: _, ...data } = e.data;
    return { ...e, data };
  }
  if (isHealthDocument(e.data.docType) && 'fileName' in e.data) {
    const { fileName: _, ...data } = e.data;
    return { ...e, data };
  }
  return e;
}

/**
 * A staff claim view as a caller with `roles` may read it: unchanged for anyone holding one of
 * {@link FULL_REPORT_ROLES}; otherwise without the health details and the other party's contact,
 * in the report and in the timeline's copy of it (`ClaimSubmitted` carries the report as filed);
 * on a health claim also without the description and the text of requests for information and
 * their answers (their dates and status stay); and with the medical records listed without their
 * file names and marked `withheld` (GET /claims/{id}/documents/{docId} refuses them to these roles:
 * app/documents.ts `documentForDownload`).
 */
export function forRoles(
  view: ClaimView,
  roles: readonly Role[],
): Omit<ClaimView, 'report' | 'infoRequests' | 'documents'> & {
  report: LimitedReport;
  infoRequests?: (Omit<NonNullable<ClaimView['infoRequests']>[number], 'message' | 'response'> & {
    message?: string;
    response?: string;
  })[];
  documents: (Omit<ClaimView['documents'][number], 'fileName'> & { fileName?: string; withheld?: true })[];
  withheld?: Withheld[];
} {
  if (readsFullReport(roles)) return view;
  const healthClaim = isHealthClaim(view.report);
  const report = limitedReport(view.report);
  const withheld = [...report.withheld];
  const infoRequests =
    healthClaim && view.infoRequests?.length
      ? view.infoRequests.map(({ message: _, response: __, ...kept }) => kept)
      : view.infoRequests;
  if (infoRequests !== view.infoRequests) withheld.push('info_request_text');
  const documents = view.documents.map((d) => {
    if (!isHealthDocument(d.docType)) return d;
    const { fileName: _, ...kept } = d;
    return { ...kept, withheld: true as const };
  });
  if (documents.some((d) => 'withheld' in d)) withheld.push('health_documents');
  return {
    ...view,
    report: report.report,
    infoRequests,
    documents,
    timeline: view.timeline.map((e) => limitedEntry(e, healthClaim)),
    ...(withheld.length > 0 ? { withheld } : {}),
  };
}

/**
 * The policy as staff see it beside a claim: without the holder's tax code or citizen id, which is
 * matched against invoice buyers on the server (app/straight-through.ts) and shown on no screen.
 */
export function policyView(policy: Policy): Omit<Policy, 'holderIdNumber'> {
  const { holderIdNumber: _, ...shown } = policy;
  return shown;
}
