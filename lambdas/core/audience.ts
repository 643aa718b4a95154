import type { CheckCode, CheckResult } from './claim.ts';
import type { EventType } from './events.ts';

/**
 * What of a claim's record is internal: the one list of check results and events a customer never
 * sees (issue 11). The claim view (app/claim-view.ts) filters the claim and its timeline through it.
 */

/**
 * Check results only staff read. A possible duplicate names another claim, which may be another
 * customer's and is in any case a suspicion for an adjuster to weigh, not a finding to announce.
 */
export const INTERNAL_CHECKS: readonly CheckCode[] = ['POSSIBLE_DUPLICATE'];

/** The check results a customer may read: why their claim was referred, or a late notice. */
export const customerChecks = (checks: readonly CheckResult[]): CheckResult[] =>
  checks.filter((c) => !INTERNAL_CHECKS.includes(c.code));

/**
 * Every event type, classified: the data a customer may see of it (everything else in the event
 * stays internal; `[]` shows that it happened and nothing more), or `internal` for bookkeeping and
 * staff work a customer does not see at all. Exhaustive, so a new event type is a compile error
 * until someone decides who sees it (before, an unlisted type reached the customer's timeline).
 */
export const EVENT_AUDIENCE: Readonly<Record<EventType, readonly string[] | 'internal'>> = {
  ClaimSubmitted: ['channel'],
  ClaimChecked: ['checks'],
  ClaimReferred: ['reasons'],
  ClaimClassified: ['line'],
  AcknowledgementSent: ['channel'],
  DocumentUploadRequested: 'internal',
  DocumentVerified: ['docType', 'fileName'],
  DocumentQuarantined: ['docType', 'fileName', 'reason'],
  DocumentWithdrawn: ['documentId', 'docType', 'fileName'],
  DossierCompleted: ['completedAt'],
  AssessmentAwaited: ['status'],
  // That a handler was assigned (or changed), never who or why.
  ClaimAssigned: [],
  ClaimReassigned: [],
  InfoRequested: ['requestId', 'message', 'documents', 'dueAt'],
  InfoProvided: ['requestId'],
  InspectionScheduled: ['inspectionId', 'at', 'place'],
  AssessmentRecorded: ['method'],
  PayoutCalculated: 'internal',
  ApprovalRequested: 'internal',
  DepartmentVoted: 'internal',
  ClaimApproved: ['amount'],
  ClaimPartiallyApproved: ['amount', 'reasons'],
  ClaimRejected: ['reasons'],
  PaymentQueued: ['amount'],
  DeadlineScheduled: 'internal',
  DeadlineAtRisk: 'internal',
  DeadlineBreached: 'internal',
  DeadlineMet: 'internal',
  DeadlineCancelled: 'internal',
  ReminderSent: ['kind'],
  InspectionConfirmed: ['at'],
  InspectionRescheduleRequested: ['proposedAt'],
  ApprovalSentBack: 'internal',
  ClaimSentBack: 'internal',
  NoteAdded: 'internal',
  ClaimClosed: ['reason'],
  WorkflowSignalsRedelivered: 'internal',
  WorkflowStepFailed: 'internal',
  WorkflowFailureAcknowledged: 'internal',
  WorkflowStepSkipped: 'internal',
  AdvancePaymentApproved: ['amount', 'advance'],
  PayoutAccountRevealed: 'internal',
  DocumentOpened: 'internal',
  DocumentWaived: 'internal',
  // The customer's own confirmation of their contact details.
  ContactConfirmed: [],
  PayoutAccountChangeRequested: ['bankName', 'accountMask', 'confirmTo', 'paymentHeld'],
  PayoutAccountChanged: ['to'],
  // The account staff typed in, confirmed: how, and which account; a supervisor's note of the call stays internal.
  PayoutAccountConfirmed: ['by', 'bankName', 'accountMask'],
  InvoiceFlagged: 'internal',
  PostAuditSampled: 'internal',
  PostAuditReviewed: 'internal',
  PaymentConfirmed: 'internal',
  PaymentFailed: 'internal',
  ClaimPaid: ['amount', 'paidAt'],
  IndicatorsScored: 'internal',
  ClaimReferredToSiu: 'internal',
  SiuInvestigationStarted: 'internal',
  SiuOutcomeRecorded: 'internal',
  ClaimAppealed: ['reason', 'decideBy'],
  AppealDecided: ['outcome'],
  MessagePosted: ['text'],
  // Administration and payment batches: the admin audit chain, never a claim's timeline.
  ProductConfigChanged: 'internal',
  CalendarChanged: 'internal',
  TemplateChanged: 'internal',
  StaffChanged: 'internal',
  QuotasChanged: 'internal',
  AdminChangeProposed: 'internal',
  AdminChangeDecided: 'internal',
  PaymentBatchPrepared: 'internal',
  PaymentBatchReleased: 'internal',
  PaymentBatchVoided: 'internal',
  PaymentBatchDownloaded: 'internal',
  BankConfirmationImported: 'internal',
  BankReturnsConfirmed: 'internal',
  SiuLabelsExported: 'internal',
};

/**
 * The part of an event's data a customer may see, or `undefined` when the event is internal.
 * Check results inside an event are filtered like the claim's own (`customerChecks`).
 */
export function customerEventData(
  type: EventType,
  data: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  const allowed = EVENT_AUDIENCE[type];
  if (allowed === undefined || allowed === 'internal') return undefined;
  const shown = Object.fromEntries(Object.entries(data).filter(([k]) => allowed.includes(k)));
  if (Array.isArray(shown.checks)) shown.checks = customerChecks(shown.checks as CheckResult[]);
  if (Array.isArray(shown.reasons) && type === 'ClaimReferred')
    shown.reasons = (shown.reasons as string[]).filter((r) => !INTERNAL_CHECKS.includes(r as CheckCode));
  return shown;
}
