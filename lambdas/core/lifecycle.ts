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

/**
 * Statuses in which the claim's money has all gone (paid, or closed with nothing left to pay): an
 * SIU referral has no payment left to hold, so a person refers such a claim no more.
 */
export const SETTLED_STATUSES: readonly ClaimStatus[] = ['PAID', 'CLOSED', 'CLOSED_NO_RESPONSE'];

/** Statuses in which a claim no longer needs its adjuster: it does not count as workload. */
export const OFF_DESK_STATUSES: readonly ClaimStatus[] = [
  'REJECTED',
  'PAYMENT_QUEUED',
  'PAID',
  'CLOSED',
  'CLOSED_NO_RESPONSE',
];

/**
 * Statuses in which no advance payment is approved: decided, awaiting approval, paid or closed — and
 * referred. The intake checks that referred a claim (a policy not in force, a loss outside its
 * period) keep refusing advances after it leaves REFERRED for assessment, until a decision overrides
 * them (app/advance-payment.ts, `ADVANCE_CHECKS_UNRESOLVED`): no money on a claim that may not be
 * covered at all. An assessed claim may still be advanced, within its assessed payout.
 */
export const NO_ADVANCE_STATUSES: readonly ClaimStatus[] = [
  'REFERRED',
  // A decision waits for a supervisor or the departments: what it pays is being agreed, and an
  // advance approved meanwhile could pay more than the decision they approve.
  'PENDING_APPROVAL',
  'JOINT_REVIEW',
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

/** The stages a customer follows a claim through, in order (the claim page's progress stepper). */
export const CLAIM_STAGES = ['reported', 'documents', 'assessment', 'decision', 'payment', 'done'] as const;
export type ClaimStage = (typeof CLAIM_STAGES)[number];

/** The stage each status belongs to: one mapping, so the stepper and the status badge agree. */
export const STAGE_OF_STATUS: Record<ClaimStatus, ClaimStage> = {
  SUBMITTED: 'reported',
  AWAITING_DOCUMENTS: 'documents',
  INFO_REQUESTED: 'documents',
  REFERRED: 'assessment',
  UNDER_ASSESSMENT: 'assessment',
  ASSESSED: 'assessment',
  PENDING_APPROVAL: 'decision',
  JOINT_REVIEW: 'decision',
  APPROVED: 'decision',
  PARTIALLY_APPROVED: 'decision',
  REJECTED: 'decision',
  PAYMENT_QUEUED: 'payment',
  PAID: 'done',
  CLOSED: 'done',
  CLOSED_NO_RESPONSE: 'documents',
};

/** Statuses that end a claim without a payment: the stepper stops where the claim stopped. */
const ENDED_WITHOUT_PAYMENT: readonly ClaimStatus[] = ['REJECTED', 'CLOSED_NO_RESPONSE'];

export interface ClaimProgress {
  /** The stages to show, in order (a claim that ended without payment shows no payment stage). */
  stages: ClaimStage[];
  /** Index in `stages` of where the claim is now. */
  current: number;
  /** The stage that comes next, when there is one. */
  next?: ClaimStage;
  /** The claim has ended (paid and closed, rejected, or closed for no response). */
  ended: boolean;
}

/**
 * Where a claim stands and what comes next, for the customer. A rejected claim ends at the
 * decision, one closed for no response at the documents; a closed claim ends where it was when it
 * closed: done when it was paid, at the decision when one was made, otherwise right after reporting.
 */
export function claimProgress(
  status: ClaimStatus,
  history: { paid?: boolean; decided?: boolean } = {},
): ClaimProgress {
  const stage = STAGE_OF_STATUS[status];
  const closedUnpaid = status === 'CLOSED' && !history.paid;
  if (ENDED_WITHOUT_PAYMENT.includes(status) || closedUnpaid) {
    const at: ClaimStage = closedUnpaid ? (history.decided ? 'decision' : 'reported') : stage;
    const stages = CLAIM_STAGES.slice(0, CLAIM_STAGES.indexOf(at) + 1);
    return { stages, current: stages.length - 1, ended: true };
  }
  const stages = [...CLAIM_STAGES];
  const current = stages.indexOf(stage);
  const next = stages[current + 1];
  return { stages, current, ...(next ? { next } : {}), ended: stage === 'done' };
}

/** What of a claim decides whose open workload it counts in. */
export interface WorkloadFacts {
  status: ClaimStatus;
  assignee?: { staffId: string };
}

/**
 * The member of staff whose open workload a claim counts in: its assignee while the claim is on a
 * desk (not in one of {@link OFF_DESK_STATUSES}), as the assignee index counts it.
 */
export function workloadOwner(c: WorkloadFacts | undefined): string | undefined {
  return c?.assignee && !OFF_DESK_STATUSES.includes(c.status) ? c.assignee.staffId : undefined;
}

/**
 * How a change of a claim moves open workloads: −1 for whoever it leaves, +1 for whoever it lands
 * on (a reassignment, a claim closed or paid, a reopened appeal). Written in the claim's own
 * transaction, so each counter moves exactly when the claims it counts do.
 */
export function workloadChanges(
  before: WorkloadFacts | undefined,
  after: WorkloadFacts,
): { staffId: string; delta: 1 | -1 }[] {
  const [from, to] = [workloadOwner(before), workloadOwner(after)];
  if (from === to) return [];
  return [
    ...(from ? [{ staffId: from, delta: -1 as const }] : []),
    ...(to ? [{ staffId: to, delta: 1 as const }] : []),
  ];
}
