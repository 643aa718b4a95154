import type { Claim, Department } from '../core/claim.ts';
import { DomainError } from '../core/errors.ts';
import { SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import { missingDocuments } from '../core/dossier.ts';
import type { Clock } from '../core/time.ts';
import { resumeSignal } from '../core/workflow-signals.ts';
import { mutateClaim } from './claim-store.ts';
import { maybeStraightThrough } from './straight-through.ts';

/**
 * Where the workflow is parked. The ASL's ParkClaim step stores the task token here; use cases
 * resume the workflow with the outcome. One general wait at a time, plus one token per
 * department during a joint decision.
 */
export type WaitingFor = 'assessment' | 'information' | 'supervisor' | 'department' | 'payment';

export interface ParkInput {
  claimId: string;
  taskToken: string;
  waitingFor: WaitingFor;
  department?: Department;
  round?: number;
}

/** Workflow step: stores the task token and moves the claim to the status that fits the wait. */
export async function parkClaim(input: ParkInput, clock: Clock) {
  // The bank's confirmation can be imported before the workflow parks here: then there is nothing
  // to wait for and the workflow goes straight on (its own token, as a signal saved on the claim).
  let firstAssessmentWait = false;
  const claim = await mutateClaim(input.claimId, clock, (c) => {
    firstAssessmentWait = false;
    if (input.waitingFor === 'payment' && c.payment?.paidAt) {
      return {
        claim: c,
        events: [],
        signals: [resumeSignal(input.taskToken, { paidAt: c.payment.paidAt })],
      };
    }
    if (input.waitingFor === 'department') {
      if (!input.department) throw new DomainError('VALIDATION_FAILED', 'department missing');
      // A branch that parks late (its ParkClaim retried or slow) may find nothing left to wait for:
      // the quorum was reached, the round sent back or followed by another. A vote releases only
      // the tokens stored when it is cast, so this one would wait for ever; it is released now.
      const release = lateDepartmentRelease(c, input.department, input.round);
      if (release) {
        return { claim: c, events: [], signals: [resumeSignal(input.taskToken, release)] };
      }
      return {
        claim: { ...c, voteTokens: { ...(c.voteTokens ?? {}), [input.department]: input.taskToken } },
        events: [],
      };
    }
    // Only the first wait moves the status (received → waiting for documents or assessment);
    // every later wait follows a use case that already set the status it needs.
    const first = input.waitingFor === 'assessment' && !c.waitingFor;
    firstAssessmentWait = first;
    const status =
      first && c.status === 'SUBMITTED'
        ? missingDocuments(c.requiredDocuments, c.receivedDocuments).length > 0
          ? 'AWAITING_DOCUMENTS'
          : 'UNDER_ASSESSMENT'
        : c.status;
    assertTransition(c.status, status);
    return {
      claim: { ...c, status, waitToken: input.taskToken, waitingFor: input.waitingFor },
      events: first ? [{ type: 'AssessmentAwaited' as const, actor: SYSTEM, data: { status } }] : [],
    };
  });
  // Every document may have been verified before the workflow got here: the last one's
  // straight-through check then found no workflow waiting. Look once more now that it waits.
  if (firstAssessmentWait && claim.status === 'UNDER_ASSESSMENT' && !claim.assessment) {
    await maybeStraightThrough(claim.claimId, clock);
  }
  return { claimId: claim.claimId, status: claim.status, waitingFor: input.waitingFor };
}

/**
 * What a department's branch of the joint decision resumes with when it parks after its vote is no
 * longer wanted, or undefined when the round it belongs to is open and the department has not
 * voted (then it waits). Only the last round is open, and only in JOINT_REVIEW: once the quorum
 * approved it or a rejection sent it back, or a later round replaced it, the branch is released
 * with `not_required` (as the vote that reached the quorum releases the departments still
 * waiting; a branch of a sent-back or replaced round belongs to a joint decision whose Map has
 * ended, and Step Functions refuses its token, which the deliverer takes as done). A department
 * that voted in the open round already is released with its vote.
 */
export function lateDepartmentRelease(
  c: Claim,
  department: Department,
  round: number | undefined,
): { department: Department; vote: 'approve' | 'not_required' } | undefined {
  const last = c.approvals?.at(-1);
  const open =
    c.status === 'JOINT_REVIEW' &&
    last?.route === 'joint' &&
    last.status === 'open' &&
    (round === undefined || round === last.round);
  if (!open) return { department, vote: 'not_required' };
  if (last.votes.some((v) => v.department === department && v.vote === 'approve'))
    return { department, vote: 'approve' };
  return undefined;
}

/**
 * Takes the general wait token if the workflow waits for `expected`, else says it isn't waiting.
 * The caller clears the token and records a resume (or fail) signal in the same change.
 */
export function requireWaiting(c: Claim, expected: WaitingFor): string {
  if (!c.waitToken || c.waitingFor !== expected) {
    throw new DomainError('WORKFLOW_NOT_WAITING', `The claim is not waiting for ${expected}`, {
      waitingFor: c.waitingFor ?? null,
    });
  }
  return c.waitToken;
}
