import { claimsWithSameLoss } from '../adapters/dynamo/claims-repo.ts';
import { readItems } from '../adapters/dynamo/item-reads.ts';
import { policyOfClaimIn } from '../adapters/dynamo/policies-repo.ts';
import { workloadRead } from '../adapters/dynamo/users-repo.ts';
import { assignClaim, qualifiesFor } from '../core/assignment.ts';
import type { Claim } from '../core/claim.ts';
import { handlingConflict } from '../core/controls.ts';
import { hasBlockingCheck, runIntakeChecks } from '../core/checks.ts';
import { classify } from '../core/classify.ts';
import { SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import type { Policy } from '../core/policy.ts';
import type { RecordedVersion } from '../core/policy-at-loss.ts';
import type { ProductConfig, ProductLine } from '../core/products.ts';
import { businessDate, type Clock } from '../core/time.ts';
import { type Change, mutateClaimWithConfig } from './claim-store.ts';
import {
  type ScoreOutcome,
  type ScoreReads,
  scoreChange,
  scoreReads,
  scoreResult,
  settleScore,
} from './fraud.ts';
import { straightThroughOf, straightThroughReads, straightThroughRecord } from './straight-through.ts';

/** What the four intake changes write besides the claim: its events, link entries and SIU queue entry. */
type IntakeChange = Pick<Change, 'claim' | 'events' | 'claimLinks' | 'siuCases'>;

/** The automatic checks are still to run: a claim just submitted that has none. */
const checksDue = (c: Claim) => c.status === 'SUBMITTED' && c.checks.length === 0;

/**
 * The automatic checks on receipt against the policy (the version the claim pinned: the one in
 * force at the loss), its versions (one recorded after the loss that widens cover refers the
 * claim), the product and the legal windows. A failing claim is kept and referred. Null once the
 * checks were run.
 */
function validationChange(
  c: Claim,
  policy: Policy | undefined,
  policyVersions: readonly RecordedVersion[],
  product: ProductConfig | undefined,
  sameLoss: Awaited<ReturnType<typeof claimsWithSameLoss>>,
  /** The policy's other claims among the customer's newest (a policy's claims are all its holder's). */
  policyClaims: readonly {
    claimId: string;
    claimNumber: string;
    lossAt: string;
    cause: string;
    submittedAt: string;
  }[],
): IntakeChange | null {
  if (!checksDue(c)) return null; // already done (a retried task)
  const checks = runIntakeChecks({
    report: c.report,
    customerId: c.customerId,
    policy,
    policyVersions,
    product,
    priorClaims: [...sameLoss, ...policyClaims].filter(
      (o, i, all) =>
        o.claimId !== c.claimId &&
        o.submittedAt <= c.submittedAt &&
        all.findIndex((x) => x.claimId === o.claimId) === i,
    ),
    receivedAt: new Date(c.submittedAt),
  });
  const blocked = hasBlockingCheck(checks);
  if (blocked) assertTransition(c.status, 'REFERRED');
  return {
    claim: { ...c, checks, status: blocked ? 'REFERRED' : c.status },
    events: [
      { type: 'ClaimChecked', actor: SYSTEM, data: { checks, passed: !blocked } },
      ...(blocked
        ? [
            {
              type: 'ClaimReferred' as const,
              actor: SYSTEM,
              data: { reasons: checks.filter((x) => x.severity === 'block').map((x) => x.code) },
            },
          ]
        : []),
    ],
  };
}

/** Product line, cause, severity band and the initial case reserve. Null once classified. */
function classificationChange(c: Claim, product: ProductConfig | undefined): IntakeChange | null {
  if (c.classification) return null;
  if (!product) return null; // an unknown product was already referred by the checks
  const classification = classify(product, c.report.cause, c.report.estimatedAmount);
  return {
    claim: { ...c, classification },
    events: [{ type: 'ClaimClassified', actor: SYSTEM, data: { ...classification } }],
  };
}

/** Not assigned yet: neither an adjuster nor a team queue holds the claim. */
const assignmentDue = (c: Claim) => !c.assignee && !c.assignedQueue;

/**
 * Automatic assignment by product skill, region, open workload and authority, falling back to the
 * supervisors' queue, with the reason recorded in words a person can check (ClaimAssigned), and the
 * straight-through verdict recorded on the claim. Uses the staff list, the policy and the documents
 * the score read; reads the qualified adjusters' workload counters and the earlier claims on the
 * policy. Null once assigned or queued.
 */
async function assignmentChange(c: Claim, reads: ScoreReads): Promise<IntakeChange | null> {
  if (!assignmentDue(c)) return null;
  const { product } = reads;
  const staff = reads.staff.filter((s) => s.roles.includes('adjuster') && s.staff);
  const line = c.classification?.line ?? product?.line ?? 'motor';
  const toAssign = {
    line,
    province: c.report.lossPlace.province,
    reserveAmount: c.classification?.reserve.amount ?? c.report.estimatedAmount.amount,
    // Never the member of staff who filed it, or whose payout account or contact is on it: the rule
    // a supervisor's reassignment is held to (core/controls.ts handlingConflict).
    excludeStaffIds: staff
      .filter((s) =>
        handlingConflict(c, c.report.payoutAccount.accountFingerprint, {
          userId: s.userId,
          email: s.email,
          phone: s.phone,
          bankAccountFingerprint: s.staff?.bankAccount?.accountFingerprint,
        }),
      )
      .map((s) => s.userId),
  };
  const adjusters = staff.map((s) => ({
    staffId: s.userId,
    name: s.displayName,
    skills: (s.staff?.skills ?? []) as ProductLine[],
    regions: s.staff?.regions ?? [],
    openClaims: 0,
    authorityLimit: s.staff?.authorityLimit ?? 0,
    active: s.staff?.active ?? false,
  }));
  // Workload is compared among qualified adjusters only: their counters, kept in the transactions
  // that move claims on and off desks, in one BatchGet (not a count query per adjuster).
  const qualified = adjusters.filter((a) => qualifiesFor(a, toAssign));
  const [loads, stpReads] = await Promise.all([
    readItems(workloadRead(qualified.map((a) => a.staffId))),
    product
      ? straightThroughReads(c, {
          policy: policyOfClaimIn(c, reads),
          documents: reads.documents,
          customerClaims: reads.customerClaims,
          staff: reads.staff,
        })
      : undefined,
  ]);
  for (const a of qualified) a.openClaims = loads.get(a.staffId) ?? 0;
  const result = assignClaim(adjusters, toAssign);
  const stp =
    product && stpReads
      ? straightThroughRecord(straightThroughOf(c, product, stpReads))
      : { eligible: false, reasons: ['UNKNOWN_PRODUCT'] };
  const next =
    result.kind === 'adjuster'
      ? {
          ...c,
          assignee: {
            staffId: result.staffId,
            role: 'adjuster',
            name: staff.find((s) => s.userId === result.staffId)?.displayName,
          },
        }
      : { ...c, assignedQueue: result.queue };
  return {
    claim: { ...next, straightThrough: stp },
    events: [
      {
        type: 'ClaimAssigned',
        actor: SYSTEM,
        data: {
          to:
            result.kind === 'adjuster'
              ? { staffId: result.staffId, role: 'adjuster' }
              : { queue: result.queue },
          reason: result.reason,
          reasonText: result.reasonText,
        },
      },
    ],
  };
}

/** One change after another, each from the claim the one before left; events and entries in order. */
function chain(
  c: Claim,
  changes: ((claim: Claim) => IntakeChange | null | Promise<IntakeChange | null>)[],
): Promise<IntakeChange | null> {
  return changes.reduce<Promise<IntakeChange | null>>(async (prior, next) => {
    const before = await prior;
    const step = await next(before?.claim ?? c);
    if (!before || !step) return step ?? before;
    return {
      claim: step.claim,
      events: [...before.events, ...step.events],
      claimLinks: [...(before.claimLinks ?? []), ...(step.claimLinks ?? [])],
      siuCases: [...(before.siuCases ?? []), ...(step.siuCases ?? [])],
    };
  }, Promise.resolve(null));
}

/**
 * Workflow step on receipt: the automatic checks (ClaimChecked, ClaimReferred), the fraud score
 * (IndicatorsScored, ClaimReferredToSiu with the payment hold), the classification
 * (ClaimClassified with the reserve) and the assignment (ClaimAssigned, with the straight-through
 * verdict on the claim), in that order, from one read of the claim with the configuration and
 * written in one transaction. The policy with its versions is read once for the checks (the pinned
 * version), the score (the version in force and the endorsements) and the straight-through rule;
 * the documents and the staff list once for the score and the assignment. A retried step redoes
 * only what is not on the claim yet.
 */
export async function checkClaim(claimId: string, clock: Clock) {
  let score: ScoreOutcome = { change: null, linksOwed: [], referred: false };
  const claim = await mutateClaimWithConfig(claimId, clock, async (c) => {
    score = { change: null, linksOwed: [], referred: false };
    const validate = checksDue(c);
    if (!validate && c.fraud && c.classification && !assignmentDue(c)) return null; // all done (a retried step)
    const [reads, sameLoss] = await Promise.all([
      scoreReads(c),
      validate
        ? claimsWithSameLoss(c.policyNumber, businessDate(new Date(c.report.lossAt)), c.report.cause)
        : [],
    ]);
    return chain(c, [
      (x) =>
        validationChange(
          x,
          policyOfClaimIn(x, reads),
          reads.versions,
          reads.product,
          sameLoss,
          reads.customerClaims.items
            .map(({ item }) => item)
            .filter((o) => o.policyNumber === x.policyNumber)
            .map((o) => ({
              claimId: o.claimId,
              claimNumber: o.claimNumber,
              lossAt: o.report.lossAt,
              cause: o.report.cause,
              submittedAt: o.submittedAt,
            })),
        ),
      async (x) => {
        score = await scoreChange(x, reads, 'receipt', clock.now().toISOString());
        return score.change;
      },
      (x) => classificationChange(x, reads.product),
      (x) => assignmentChange(x, reads),
    ]);
  });
  await settleScore(claim, score);
  return {
    claimId,
    validation: {
      claimId,
      status: claim.status,
      blocked: hasBlockingCheck(claim.checks),
      checks: claim.checks.map((c) => c.code),
    },
    fraud: scoreResult(claim),
    classification: {
      claimId,
      severityBand: claim.classification?.severityBand ?? null,
      line: claim.classification?.line ?? null,
    },
    assignment: { claimId, assignee: claim.assignee?.staffId ?? null, queue: claim.assignedQueue ?? null },
  };
}
