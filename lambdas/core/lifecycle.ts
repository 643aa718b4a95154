import type { ClaimStatus } from './claim.ts';
import { InvalidTransitionError } from './errors.ts';

/**
 * The claim lifecycle: which status may follow which. The Step Functions workflow drives most
 * moves; use cases call {@link assertTransition} before every change so a stale or out-of-order
 * request cannot push a claim somewhere it may not go.
 */
export const TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = {
  SUBMITTED: ['REFERRED', 'AWAITING_DOCUMENTS', 'UNDER_ASSESSMENT', 'CLOSED'],
  REFERRED: ['AWAITING_DOCUMENTS', 'UNDER_ASSESSMENT', 'INFO_REQUESTED', 'ASSESSED', 'REJECTED', 'CLOSED'],
  AWAITING_DOCUMENTS: [
    'UNDER_ASSESSMENT',
    'INFO_REQUESTED',
    'ASSESSED',
    'REJECTED',
    'CLOSED_NO_RESPONSE',
    'CLOSED',
  ],
  UNDER_ASSESSMENT: ['INFO_REQUESTED', 'ASSESSED', 'REJECTED', 'AWAITING_DOCUMENTS'],
  INFO_REQUESTED: ['UNDER_ASSESSMENT', 'CLOSED_NO_RESPONSE', 'REJECTED'],
  ASSESSED: [
    'PENDING_APPROVAL',
    'JOINT_REVIEW',
    'APPROVED',
    'PARTIALLY_APPROVED',
    'REJECTED',
    'UNDER_ASSESSMENT',
    'INFO_REQUESTED',
  ],
  PENDING_APPROVAL: ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'JOINT_REVIEW', 'UNDER_ASSESSMENT'],
  JOINT_REVIEW: ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'UNDER_ASSESSMENT'],
  APPROVED: ['PAYMENT_QUEUED'],
  PARTIALLY_APPROVED: ['PAYMENT_QUEUED'],
  // An appeal within its window reopens a rejected claim for review (core/appeal.ts).
  REJECTED: ['CLOSED', 'UNDER_ASSESSMENT'],
  PAYMENT_QUEUED: ['PAID'],
  PAID: ['CLOSED'],
  CLOSED: [],
  CLOSED_NO_RESPONSE: [],
};

export const canTransition = (from: ClaimStatus, to: ClaimStatus): boolean =>
  from === to || TRANSITIONS[from].includes(to);

export function assertTransition(from: ClaimStatus, to: ClaimStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

export const OPEN_STATUSES: readonly ClaimStatus[] = (Object.keys(TRANSITIONS) as ClaimStatus[]).filter(
  (s) => TRANSITIONS[s].length > 0,
);

/** Statuses in which a claim no longer needs its adjuster: it does not count as workload. */
export const OFF_DESK_STATUSES: readonly ClaimStatus[] = [
  'REJECTED',
  'PAYMENT_QUEUED',
  'PAID',
  'CLOSED',
  'CLOSED_NO_RESPONSE',
];

/** Statuses after which no advance payment is approved (decided, paid or closed). */
export const NO_ADVANCE_STATUSES: readonly ClaimStatus[] = [
  'APPROVED',
  'PARTIALLY_APPROVED',
  'PAYMENT_QUEUED',
  'PAID',
  'REJECTED',
  'CLOSED',
  'CLOSED_NO_RESPONSE',
];

/**
 * Statuses in which the customer may still withdraw a document they sent: nobody has assessed or
 * decided the claim yet (see core/dossier.ts `withdrawalRefusal`, which also requires that no
 * assessment was recorded after the document arrived — an appeal reopens a claim in
 * UNDER_ASSESSMENT, and the evidence the first assessment relied on stays).
 */
export const DOCUMENT_WITHDRAWAL_STATUSES: readonly ClaimStatus[] = [
  'SUBMITTED',
  'REFERRED',
  'AWAITING_DOCUMENTS',
  'UNDER_ASSESSMENT',
  'INFO_REQUESTED',
];
