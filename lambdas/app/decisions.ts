import {
  type ApprovalRound,
  type Claim,
  type ClaimDecision,
  DEPARTMENT_ROLE,
  type Vote,
} from '../core/claim.ts';
import { approvalRoute, blockingChecks } from '../core/approval-route.ts';
import { DEPARTMENT_REJECTED, DomainError, ForbiddenError } from '../core/errors.ts';
import type { NewEvent } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import { vnd } from '../core/money.ts';
import type { DecisionBody, VoteBody } from '../core/staff-schemas.ts';
import type { Clock } from '../core/time.ts';
import { failSignal, resumeSignal } from '../core/workflow-signals.ts';
import type { Caller as Principal } from '../core/caller.ts';
import { type Change, mutateClaim } from './claim-store.ts';
import { appealWindowEnd, settleAppeal } from '../core/appeal.ts';
import { loadCalendar, loadProduct } from './products.ts';
import { assertHandles } from './assessment.ts';
import { authorityOf, type StaffActor, staffActor } from './staff-context.ts';
import { requireWaiting } from './workflow-wait.ts';
import { advancedAmount } from '../core/finance.ts';
import { loadSodFacts } from './approval-controls.ts';
import { standingConfirmation } from '../core/fraud/siu.ts';
import {
  assertEvidence,
  assertNoSodViolation,
  SegregationOfDutiesError,
  sodViolation,
} from '../core/controls.ts';

const approvedEvent = (outcome: 'approve' | 'partial'): 'ClaimApproved' | 'ClaimPartiallyApproved' =>
  outcome === 'approve' ? 'ClaimApproved' : 'ClaimPartiallyApproved';
const approvedStatus = (outcome: 'approve' | 'partial'): 'APPROVED' | 'PARTIALLY_APPROVED' =>
  outcome === 'approve' ? 'APPROVED' : 'PARTIALLY_APPROVED';

/**
 * The adjuster's (or supervisor's) decision. A rejection (and a partial approval) must give
 * written reasons citing the policy clause. An approval within the decider's authority is final;
 * above it the claim goes to a supervisor or, for a large loss, to a joint decision
 * (core/approval-route.ts). An adjuster's approval of a claim the intake checks referred goes to a
 * supervisor; a supervisor's own says why in its note. A decision may equal the advances already
 * approved (nothing left to transfer), never fall below them.
 */
export async function decideClaim(principal: Principal, claimId: string, body: DecisionBody, clock: Clock) {
  const s = await staffActor(principal, ['supervisor', 'adjuster']);
  const decide = async (c: Claim): Promise<Change> => {
    assertHandles(s, c);
    const token = requireWaiting(c, 'assessment');
    const now = clock.now().toISOString();
    if (body.outcome !== 'reject') assertNotConfirmedFraud(c);
    if (body.outcome === 'reject') {
      assertTransition(c.status, 'REJECTED');
      // A first rejection may be appealed until a day fixed now, which its letter states; one that
      // upholds an appeal may not (one appeal per claim).
      const [product, calendar] = c.appeal
        ? [undefined, undefined]
        : await Promise.all([loadProduct(c.productCode), loadCalendar()]);
      const decision: ClaimDecision = {
        outcome: 'reject',
        amount: vnd(0),
        reasons: body.reasons,
        decidedAt: now,
        decidedBy: { id: s.principal.userId, role: s.role },
        note: body.note,
        ...(calendar ? { appealBy: appealWindowEnd(now, product, calendar).toISOString() } : {}),
      };
      return {
        claim: { ...c, status: 'REJECTED', decision, waitToken: undefined, waitingFor: undefined },
        signals: [resumeSignal(token, { action: 'decided', outcome: 'reject', route: 'none' })],
        events: [
          {
            type: 'ClaimRejected',
            actor: s.actor,
            data: { reasons: body.reasons, note: body.note },
            before: { status: c.status },
            after: { status: 'REJECTED' },
          },
        ],
      };
    }
    if (!c.assessment || c.status !== 'ASSESSED')
      throw new DomainError('INVALID_TRANSITION', 'Record the assessment before deciding');
    const payable = c.assessment.payable.amount;
    const amount = body.outcome === 'partial' ? body.amount : payable;
    // An approval pays something: a loss the deductible or the limits leave nothing of is rejected
    // with the policy's reasons, not approved for 0 (which no payment step can queue).
    if (amount <= 0)
      throw new DomainError(
        'NOTHING_PAYABLE',
        'The assessment leaves nothing to pay; reject the claim with reasons',
        {
          payable,
        },
      );
    if (amount > payable) {
      throw new DomainError('VALIDATION_FAILED', 'A partial approval cannot exceed the assessed payout', {
        fields: [{ path: 'amount', code: 'too_big', message: `at most ${payable}` }],
      });
    }
    // The final transfer pays the decision less the advances. Advances that paid it exactly leave
    // nothing to transfer: the claim is paid once the bank has confirmed them (app/payment.ts).
    // Advances above what the claim is worth are an overpayment to recover, not a negative line in
    // the bank file; a person settles that outside the approval.
    const advanced = advancedAmount(c);
    if (amount < advanced)
      throw new DomainError('DECISION_BELOW_ADVANCES', 'The advances already approved cover this amount', {
        amount,
        advanced,
      });
    const product = await loadProduct(c.productCode);
    if (!product) throw new DomainError('PRODUCT_NOT_FOUND', 'Unknown product');
    // Evidence before money, then segregation of duties (issue 7).
    assertEvidence(c);
    const facts = await loadSodFacts(c, product);
    const violation = sodViolation(facts, s.principal.userId, amount);
    // Whoever assessed alone may still ask for approval above the four-eyes amount, not give it.
    if (violation && violation.code !== 'SOD_SINGLE_ASSESSOR')
      throw new SegregationOfDutiesError(violation.code, violation.message, violation.details);
    // Paying a claim the intake checks referred overrides them: on a supervisor's word, with the reason.
    const blocking = blockingChecks(c.checks);
    const supervisor = s.role === 'supervisor';
    if (blocking.length > 0 && supervisor && !body.note)
      throw new DomainError(
        'VALIDATION_FAILED',
        'Say why the intake checks that referred the claim are overridden',
        {
          fields: [{ path: 'note', code: 'required', message: `overrides ${blocking.join(', ')}` }],
          checks: blocking,
        },
      );
    const ownRoute = approvalRoute(amount, product, { authorityLimit: authorityOf(s), supervisor }, blocking);
    const fourEyes = violation?.code === 'SOD_SINGLE_ASSESSOR' && ownRoute === 'none';
    const route = fourEyes ? 'supervisor' : ownRoute;
    const decidedBy = { id: s.principal.userId, role: s.role };
    const reasons = body.outcome === 'partial' ? body.reasons : [];
    // What the decider decided; an approval route leaves it waiting for the approvers.
    const decision = {
      outcome: body.outcome,
      amount: vnd(amount),
      reasons,
      decidedAt: now,
      decidedBy,
      note: body.note,
    };
    if (route === 'none') {
      const status = approvedStatus(body.outcome);
      assertTransition(c.status, status);
      return {
        signals: [resumeSignal(token, { action: 'decided', outcome: body.outcome, route })],
        claim: {
          ...c,
          status,
          decision,
          waitToken: undefined,
          waitingFor: undefined,
        },
        events: [
          {
            type: approvedEvent(body.outcome),
            actor: s.actor,
            data: {
              amount: vnd(amount),
              reasons,
              note: body.note,
              ...(blocking.length > 0 ? { overriddenChecks: blocking } : {}),
            },
            before: { status: c.status },
            after: { status },
          },
        ],
      };
    }
    const round: ApprovalRound = {
      round: (c.approvals?.length ?? 0) + 1,
      route,
      amount: vnd(amount),
      outcome: body.outcome,
      requestedAt: now,
      requestedBy: decidedBy,
      departments: route === 'joint' ? [...product.jointDecision.departments] : [],
      quorum: route === 'joint' ? product.jointDecision.quorum : 1,
      votes: [],
      status: 'open',
    };
    const status = route === 'joint' ? 'JOINT_REVIEW' : 'PENDING_APPROVAL';
    assertTransition(c.status, status);
    return {
      signals: [
        resumeSignal(token, {
          action: 'decided',
          outcome: body.outcome,
          route,
          departments: round.departments,
          round: round.round,
        }),
      ],
      claim: {
        ...c,
        status,
        approvals: [...(c.approvals ?? []), round],
        decision,
        waitToken: undefined,
        waitingFor: undefined,
      },
      events: [
        {
          type: 'ApprovalRequested',
          actor: s.actor,
          data: {
            route,
            amount: vnd(amount),
            outcome: body.outcome,
            departments: round.departments,
            quorum: round.quorum,
            round: round.round,
            authorityLimit: authorityOf(s),
            ...(fourEyes ? { fourEyes: true, singleAssessorMax: facts.singleAssessorMax } : {}),
            ...(blocking.length > 0 ? { blockingChecks: blocking } : {}),
          },
        },
      ],
    };
  };
  // A decision on a claim reopened by an appeal decides the appeal too (core/appeal.ts).
  return mutateClaim(
    claimId,
    clock,
    async (c) => withAppealSettled(await decide(c), s.actor, clock.now().toISOString()),
    body.expectedVersion,
  );
}

/** The change, plus the appeal's outcome when it decides an open appeal. */
function withAppealSettled(change: Change, actor: StaffActor['actor'], now: string): Change {
  const appeal = settleAppeal(change.claim.appeal, change.claim.status, now);
  if (!appeal) return change;
  return {
    ...change,
    claim: { ...change.claim, appeal },
    // First: the stream plans the payment deadline again on it, before the approval letter (sent on
    // the decision's event) reads the claim for the date the payment is due.
    events: [{ type: 'AppealDecided', actor, data: { outcome: appeal.status } }, ...change.events],
  };
}

/**
 * The SIU confirmed the indicators: the claim can only be rejected, whether the approval is the
 * handler's, a supervisor's on a pending request or the departments' on a joint one. Every case of
 * the claim counts: a confirmed finding stands through a later referral until a second SIU
 * reviewer overturns it (core/fraud/siu.ts `standingConfirmation`).
 */
function assertNotConfirmedFraud(c: Claim): void {
  if (standingConfirmation(c.siu))
    throw new DomainError('SIU_HOLD', 'The SIU confirmed the indicators; the claim can only be rejected');
}

const openRound = (c: Claim, route: 'supervisor' | 'joint'): ApprovalRound => {
  const r = c.approvals?.at(-1);
  if (!r || r.route !== route || r.status !== 'open')
    throw new DomainError('INVALID_TRANSITION', 'No approval is pending on this claim');
  return r;
};

/** A supervisor approves a payout above the adjuster's limit, or sends it back with a comment. */
export async function supervisorApproval(
  principal: Principal,
  claimId: string,
  body: { expectedVersion: number; approve: boolean; comment: string },
  clock: Clock,
) {
  const s = await staffActor(principal, ['supervisor']);
  return mutateClaim(
    claimId,
    clock,
    async (c) => {
      const round = openRound(c, 'supervisor');
      const token = requireWaiting(c, 'supervisor');
      if (round.requestedBy.id === s.principal.userId)
        throw new ForbiddenError('You cannot approve your own request');
      const now = clock.now().toISOString();
      if (!body.approve) {
        assertTransition(c.status, 'UNDER_ASSESSMENT');
        return {
          signals: [resumeSignal(token, { approved: false })],
          claim: {
            ...c,
            status: 'UNDER_ASSESSMENT',
            approvals: replaceLast(c, { ...round, status: 'sent_back' }),
            decision: undefined,
            waitToken: undefined,
            waitingFor: undefined,
          },
          events: [
            { type: 'ApprovalSentBack', actor: s.actor, data: { comment: body.comment, round: round.round } },
          ],
        };
      }
      assertNotConfirmedFraud(c);
      assertEvidence(c);
      assertNoSodViolation(await loadSodFacts(c), s.principal.userId, round.amount.amount);
      if (round.amount.amount > authorityOf(s)) {
        throw new DomainError('AUTHORITY_LIMIT_EXCEEDED', 'The amount exceeds your authority limit', {
          limit: authorityOf(s),
          amount: round.amount.amount,
        });
      }
      const status = approvedStatus(round.outcome);
      assertTransition(c.status, status);
      const prior = c.decision;
      // Approved on a claim reopened by an appeal: the appeal is decided now, not when it was asked.
      return withAppealSettled(
        {
          signals: [resumeSignal(token, { approved: true })],
          claim: {
            ...c,
            status,
            approvals: replaceLast(c, { ...round, status: 'approved' }),
            decision: {
              outcome: round.outcome,
              amount: round.amount,
              reasons: prior?.reasons ?? [],
              decidedAt: now,
              decidedBy: { id: s.principal.userId, role: 'supervisor' },
              note: body.comment,
            },
            waitToken: undefined,
            waitingFor: undefined,
          },
          events: [
            {
              type: approvedEvent(round.outcome),
              actor: s.actor,
              data: {
                amount: round.amount,
                reasons: prior?.reasons ?? [],
                comment: body.comment,
                round: round.round,
                // The comment is the reason the checks that referred the claim are overridden.
                ...overridden(c),
              },
            },
          ],
        },
        s.actor,
        now,
      );
    },
    body.expectedVersion,
  );
}

/** On an approval event: the intake checks that referred the claim, which paying it overrides. */
const overridden = (c: Claim): { overriddenChecks?: string[] } => {
  const blocking = blockingChecks(c.checks);
  return blocking.length > 0 ? { overriddenChecks: blocking } : {};
};

const replaceLast = (c: Claim, round: ApprovalRound) => [...(c.approvals ?? []).slice(0, -1), round];

/**
 * One department's vote in a joint decision. Each person votes once per round, in one role only,
 * and not on a request they made. A rejection sends the claim back with the comments; reaching
 * the quorum approves it and releases the departments still waiting.
 */
export async function departmentVote(principal: Principal, claimId: string, body: VoteBody, clock: Clock) {
  const s: StaffActor = await staffActor(principal, [DEPARTMENT_ROLE[body.department]]);
  // A member of staff whose profile names a voting department speaks for that one only: a
  // supervisor who also holds the legal role does not cast the claims department's vote when the
  // administrator placed them in legal.
  const own = s.profile.staff?.department;
  if (own !== undefined && own in DEPARTMENT_ROLE && own !== body.department)
    throw new ForbiddenError(`You vote for the ${own} department`);
  return mutateClaim(claimId, clock, async (c) => {
    if (c.status !== 'JOINT_REVIEW')
      throw new DomainError('INVALID_TRANSITION', 'No joint decision is open on this claim');
    const round = openRound(c, 'joint');
    // A vote read on an earlier round (sent back, reassessed, asked again for another amount) is not
    // a vote on this one: the reviewer reads the round now open first.
    if (body.round !== round.round)
      throw new DomainError(
        'VERSION_CONFLICT',
        `This vote is for round ${body.round}; round ${round.round} is open`,
        {
          currentVersion: c.version,
          round: round.round,
        },
      );
    if (!round.departments.includes(body.department))
      throw new ForbiddenError('Your department is not asked on this claim');
    if (round.requestedBy.id === s.principal.userId)
      throw new ForbiddenError('You cannot vote on your own request');
    if (round.votes.some((v) => v.userId === s.principal.userId))
      throw new DomainError('DUPLICATE_VOTE', 'You have already voted in this round');
    if (round.votes.some((v) => v.department === body.department))
      throw new DomainError('DUPLICATE_VOTE', 'Your department has already voted');
    const token = c.voteTokens?.[body.department];
    if (!token)
      throw new DomainError(
        'WORKFLOW_NOT_WAITING',
        'The workflow is not yet waiting for this department; retry shortly',
      );
    if (body.vote === 'approve') {
      assertNotConfirmedFraud(c);
      assertEvidence(c);
      assertNoSodViolation(await loadSodFacts(c), s.principal.userId, round.amount.amount);
    } else if (c.filedBy?.id === s.principal.userId) {
      throw new SegregationOfDutiesError('SOD_OWN_FILING', 'You filed this claim; you cannot vote on it');
    }
    const now = clock.now().toISOString();
    const vote: Vote = {
      department: body.department,
      userId: s.principal.userId,
      role: s.role,
      vote: body.vote,
      comment: body.comment,
      at: now,
    };
    const votes = [...round.votes, vote];
    const voted: NewEvent = {
      type: 'DepartmentVoted',
      actor: s.actor,
      data: { department: body.department, vote: body.vote, comment: body.comment, round: round.round },
    };
    if (body.vote === 'reject') {
      assertTransition(c.status, 'UNDER_ASSESSMENT');
      return {
        signals: [failSignal(token, DEPARTMENT_REJECTED, body.comment)],
        claim: {
          ...c,
          status: 'UNDER_ASSESSMENT',
          approvals: replaceLast(c, { ...round, votes, status: 'sent_back' }),
          decision: undefined,
          voteTokens: {},
          // Back to the person handling it; a claim handled from the queue goes to whoever asked.
          assignee: c.assignee ?? { staffId: round.requestedBy.id, role: round.requestedBy.role },
        },
        events: [
          voted,
          {
            type: 'ClaimSentBack',
            actor: s.actor,
            data: {
              department: body.department,
              comment: body.comment,
              round: round.round,
              returnedTo: c.assignee?.staffId ?? round.requestedBy.id,
            },
          },
        ],
      };
    }
    const approvals = votes.filter((v) => v.vote === 'approve').length;
    if (approvals >= round.quorum) {
      const status = approvedStatus(round.outcome);
      assertTransition(c.status, status);
      return withAppealSettled(
        {
          signals: Object.entries(c.voteTokens ?? {}).map(([dept, t]) =>
            resumeSignal(t as string, {
              department: dept,
              vote: dept === body.department ? 'approve' : 'not_required',
            }),
          ),
          claim: {
            ...c,
            status,
            approvals: replaceLast(c, { ...round, votes, status: 'approved' }),
            decision: c.decision ? { ...c.decision, decidedAt: now } : undefined,
            voteTokens: {},
          },
          events: [
            voted,
            {
              type: approvedEvent(round.outcome),
              actor: s.actor,
              data: {
                amount: round.amount,
                reasons: c.decision?.reasons ?? [],
                jointRound: round.round,
                approvals,
                quorum: round.quorum,
                ...overridden(c),
              },
            },
          ],
        },
        s.actor,
        now,
      );
    }
    const { [body.department]: _used, ...rest } = c.voteTokens ?? {};
    return {
      claim: { ...c, approvals: replaceLast(c, { ...round, votes }), voteTokens: rest },
      events: [voted],
      signals: [resumeSignal(token, { department: body.department, vote: 'approve' })],
    };
  });
}
