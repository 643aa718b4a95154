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

/** Event data a customer may see, per event type; everything else in an event stays internal. */
const CUSTOMER_EVENT_DATA: Partial<Record<EventType, readonly string[]>> = {
  ClaimSubmitted: ['channel'],
  ClaimChecked: ['checks'],
  ClaimReferred: ['reasons'],
  ClaimClassified: ['line'],
  AcknowledgementSent: ['channel'],
  DocumentVerified: ['docType', 'fileName'],
  DocumentQuarantined: ['docType', 'fileName', 'reason'],
  DocumentWithdrawn: ['documentId', 'docType', 'fileName'],
  DossierCompleted: ['completedAt'],
  AssessmentAwaited: ['status'],
  InfoRequested: ['requestId', 'message', 'documents', 'dueAt'],
  InspectionScheduled: ['inspectionId', 'at', 'place'],
  InspectionConfirmed: ['at'],
  InspectionRescheduleRequested: ['proposedAt'],
  InfoProvided: ['requestId'],
  ReminderSent: ['kind'],
  AssessmentRecorded: ['method'],
  ClaimAssigned: [],
  ClaimApproved: ['amount'],
  ClaimPartiallyApproved: ['amount', 'reasons'],
  ClaimRejected: ['reasons'],
  PaymentQueued: ['amount'],
  ClaimClosed: ['reason'],
  PayoutAccountChangeRequested: ['bankName', 'accountMask', 'confirmTo', 'paymentHeld'],
  PayoutAccountChanged: ['to'],
  ClaimPaid: ['amount', 'paidAt'],
  AdvancePaymentApproved: ['amount', 'advance'],
  ClaimAppealed: ['reason', 'decideBy'],
  AppealDecided: ['outcome'],
  MessagePosted: ['text'],
};

/** Internal bookkeeping and staff work customers do not see at all. */
export const INTERNAL_EVENTS: readonly EventType[] = [
  'DocumentUploadRequested',
  'DeadlineScheduled',
  'DeadlineAtRisk',
  'DeadlineBreached',
  'DeadlineMet',
  'DeadlineCancelled',
  'NoteAdded',
  'DepartmentVoted',
  'ApprovalRequested',
  'ApprovalSentBack',
  'ClaimSentBack',
  'PayoutCalculated',
  'WorkflowSignalsRedelivered',
  'WorkflowStepFailed',
  'WorkflowFailureAcknowledged',
  'PayoutAccountRevealed',
  'DocumentOpened',
  'InvoiceFlagged',
  'PostAuditSampled',
  'PostAuditReviewed',
  'DocumentWaived',
  'PaymentConfirmed',
  'PaymentFailed',
  'IndicatorsScored',
  'ClaimReferredToSiu',
  'SiuInvestigationStarted',
  'SiuOutcomeRecorded',
];

/**
 * The part of an event's data a customer may see, or `undefined` when the event is internal.
 * Check results inside an event are filtered like the claim's own (`customerChecks`).
 */
export function customerEventData(
  type: EventType,
  data: Readonly<Record<string, unknown>>,
): Record<string, unknown> | undefined {
  if (INTERNAL_EVENTS.includes(type)) return undefined;
  const allowed = CUSTOMER_EVENT_DATA[type] ?? [];
  const shown = Object.fromEntries(Object.entries(data).filter(([k]) => allowed.includes(k)));
  if (Array.isArray(shown.checks)) shown.checks = customerChecks(shown.checks as CheckResult[]);
  if (Array.isArray(shown.reasons) && type === 'ClaimReferred')
    shown.reasons = (shown.reasons as string[]).filter((r) => !INTERNAL_CHECKS.includes(r as CheckCode));
  return shown;
}
