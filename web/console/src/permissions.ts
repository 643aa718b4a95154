import { DEPARTMENT_ROLE, type Department } from '../../../lambdas/core/claim.ts';
import { canTransition, SETTLED_STATUSES } from '../../../lambdas/core/lifecycle.ts';
import type { Role } from '../../../lambdas/shared/roles.ts';
import type { Me } from '../../shared/types.ts';
import type { QueueView, StaffClaim } from './types.ts';

/**
 * What the signed-in person's roles let them do, so the console only offers what would work. The
 * API decides for real (and answers 403 otherwise); these mirror its rules in lambdas/app/.
 */
const has = (me: Pick<Me, 'roles'>, ...roles: Role[]) => roles.some((r) => me.roles.includes(r));

export const isStaff = (me: Pick<Me, 'roles'>) =>
  has(me, 'adjuster', 'supervisor', 'underwriting', 'legal', 'finance', 'siu', 'admin');
export const isHandler = (me: Pick<Me, 'roles'>) => has(me, 'adjuster', 'supervisor');
export const isSupervisor = (me: Pick<Me, 'roles'>) => has(me, 'supervisor');
export const isSiu = (me: Pick<Me, 'roles'>) => has(me, 'siu');
export const isAdmin = (me: Pick<Me, 'roles'>) => has(me, 'admin');
export const canSeeStaff = (me: Pick<Me, 'roles'>) => has(me, 'supervisor', 'admin');
export const canSeeConfig = (me: Pick<Me, 'roles'>) => has(me, 'supervisor', 'admin');
/** Stalled-workflow alerts and their redelivery (GET /workflow/alerts). */
export const canSeeWorkflowAlerts = (me: Pick<Me, 'roles'>) => has(me, 'supervisor', 'admin');
export const canVerifyAudit = (me: Pick<Me, 'roles'>) => has(me, 'supervisor', 'siu', 'admin');
export const isFinance = (me: Pick<Me, 'roles'>) => has(me, 'finance');
export const canAddNote = (me: Pick<Me, 'roles'>) =>
  has(me, 'adjuster', 'supervisor', 'underwriting', 'legal', 'finance', 'siu');

/**
 * Departments this person may vote for: those their roles speak for, and only their own when their
 * profile places them in a voting department (as the API decides, app/decisions.ts `departmentVote`).
 */
export function departmentsOf(me: Pick<Me, 'roles' | 'staff'>): Department[] {
  const own = me.staff?.department;
  return (Object.keys(DEPARTMENT_ROLE) as Department[]).filter(
    (d) =>
      me.roles.includes(DEPARTMENT_ROLE[d]) && (own === undefined || !(own in DEPARTMENT_ROLE) || own === d),
  );
}

/** Queue tabs that make sense for the roles, in display order. */
export function queueViews(me: Pick<Me, 'roles' | 'staff'>): QueueView[] {
  const views: QueueView[] = [];
  if (isHandler(me)) views.push('mine', 'team');
  if (isSupervisor(me) || departmentsOf(me).length > 0) views.push('approvals');
  views.push('all');
  return views;
}

/** Adjusters act on the claims assigned to them; supervisors on any (assertHandles on the server). */
export function handles(me: Pick<Me, 'roles' | 'userId'>, c: Pick<StaffClaim, 'assignee'>): boolean {
  if (has(me, 'supervisor')) return true;
  return has(me, 'adjuster') && c.assignee?.staffId === me.userId;
}

type ClaimState = Pick<StaffClaim, 'status' | 'waitingFor' | 'assignee' | 'approvals'>;

export const canAssess = (me: Pick<Me, 'roles' | 'userId'>, c: ClaimState) =>
  handles(me, c) && c.status !== 'SUBMITTED' && canTransition(c.status, 'ASSESSED');

/** Deciding, asking for information: only while the workflow waits for the assessment. */
export const canDecide = (me: Pick<Me, 'roles' | 'userId'>, c: ClaimState) =>
  handles(me, c) && c.waitingFor === 'assessment' && canTransition(c.status, 'REJECTED');

export const canRequestInfo = (me: Pick<Me, 'roles' | 'userId'>, c: ClaimState) =>
  handles(me, c) && c.waitingFor === 'assessment' && canTransition(c.status, 'INFO_REQUESTED');

const CLOSED = ['CLOSED', 'CLOSED_NO_RESPONSE', 'REJECTED', 'PAID'];
/** The API allows an inspection until the claim closes; once the payout is decided there is nothing to inspect. */
const DECIDED = ['APPROVED', 'PARTIALLY_APPROVED', 'PAYMENT_QUEUED'];
export const canScheduleInspection = (me: Pick<Me, 'roles' | 'userId'>, c: ClaimState) =>
  handles(me, c) && !CLOSED.includes(c.status) && !DECIDED.includes(c.status);

/** Supervisors waive a missing required document before the decision (never on a claim they filed). */
/** An advance payment (compulsory motor TPL) while the claim is being settled, by whoever handles it. */
export const canApproveAdvance = (
  me: Pick<Me, 'roles' | 'userId'>,
  c: ClaimState & Pick<StaffClaim, 'advancePayment'>,
) => handles(me, c) && Boolean(c.advancePayment?.available);

/**
 * Referring a claim to the SIU by hand (its payment held until cleared): the adjuster who handles it,
 * supervisors, finance and the SIU; not once the claim is paid or closed, nor while the SIU has it open.
 */
export const canReferToSiu = (
  me: Pick<Me, 'roles' | 'userId'>,
  c: Pick<StaffClaim, 'status' | 'assignee' | 'siu'>,
) =>
  (handles(me, c) || has(me, 'finance', 'siu')) &&
  !SETTLED_STATUSES.includes(c.status) &&
  (!c.siu || c.siu.status === 'closed');

/**
 * Verifying a payout account staff typed in with the customer by phone: a supervisor who neither
 * filed nor handles the claim (the API also refuses anyone else who worked on it, SOD_OWN_VERIFICATION),
 * while it waits and there is a registered phone to call.
 */
export const canVerifyPayoutAccount = (
  me: Pick<Me, 'roles' | 'userId'>,
  c: Pick<StaffClaim, 'payoutAccountCheck' | 'filedBy' | 'assignee'>,
) =>
  isSupervisor(me) &&
  c.payoutAccountCheck?.status === 'unconfirmed' &&
  Boolean(c.payoutAccountCheck.registered?.phone) &&
  c.filedBy?.id !== me.userId &&
  c.assignee?.staffId !== me.userId;

export const canWaive = (
  me: Pick<Me, 'roles' | 'userId'>,
  c: ClaimState & Pick<StaffClaim, 'controls' | 'filedBy'>,
) =>
  isSupervisor(me) &&
  (c.controls?.outstandingDocuments.length ?? 0) > 0 &&
  c.filedBy?.id !== me.userId &&
  !CLOSED.includes(c.status) &&
  !DECIDED.includes(c.status);

export const canReassign = (me: Pick<Me, 'roles'>, c: ClaimState) =>
  isSupervisor(me) && !CLOSED.includes(c.status) && c.status !== 'PAYMENT_QUEUED';

const openRound = (c: ClaimState) => {
  const r = c.approvals?.at(-1);
  return r && r.status === 'open' ? r : undefined;
};

/** A supervisor approves a request above someone's limit — never their own. */
export function approvalState(me: Pick<Me, 'roles' | 'userId'>, c: ClaimState): 'none' | 'own' | 'ready' {
  const r = openRound(c);
  if (!isSupervisor(me) || c.status !== 'PENDING_APPROVAL' || r?.route !== 'supervisor') return 'none';
  return r.requestedBy.id === me.userId ? 'own' : 'ready';
}

/** Departments still to vote in the open joint round that this person speaks for. */
export function votableDepartments(me: Pick<Me, 'roles' | 'userId' | 'staff'>, c: ClaimState): Department[] {
  const r = openRound(c);
  if (c.status !== 'JOINT_REVIEW' || r?.route !== 'joint' || r.requestedBy.id === me.userId) return [];
  if (r.votes.some((v) => v.userId === me.userId)) return [];
  return departmentsOf(me).filter(
    (d) => r.departments.includes(d) && !r.votes.some((v) => v.department === d),
  );
}
