import { getPolicy } from '../adapters/dynamo/policies-repo.ts';
import type { Claim } from '../core/claim.ts';
import { isStraightThrough } from '../core/classify.ts';
import { DomainError } from '../core/errors.ts';
import { SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import type { LossItem } from '../core/payout.ts';
import { calculatePayout } from '../core/payout.ts';
import type { Clock } from '../core/time.ts';
import { resumeSignal } from '../core/workflow-signals.ts';
import { mutateClaim } from './claim-store.ts';
import { loadProduct } from './products.ts';

const NEW_FOR_OLD = 'new_for_old';

/**
 * Called whenever a claim might have become simple enough to settle without a person (its
 * dossier just completed): if the product's rule says so and the workflow is waiting for an
 * assessment nobody has started, the workflow is resumed down the straight-through path.
 */
export async function maybeStraightThrough(claimId: string, clock: Clock): Promise<boolean> {
  let resumed = false;
  await mutateClaim(claimId, clock, async (c) => {
    resumed = false;
    if (c.waitingFor !== 'assessment' || !c.waitToken || c.assessment || c.status !== 'UNDER_ASSESSMENT')
      return null;
    const product = await loadProduct(c.productCode);
    if (!product) return null;
    const verdict = isStraightThrough({
      product,
      estimatedAmount: c.report.estimatedAmount,
      checks: c.checks,
      dossierComplete: Boolean(c.dossierCompleteAt),
      fraudIndicators: c.fraudIndicators?.length ?? 0,
    });
    if (!verdict.eligible)
      return {
        claim: { ...c, straightThrough: { eligible: false, reasons: [...verdict.reasons] } },
        events: [],
      };
    resumed = true;
    return {
      claim: {
        ...c,
        straightThrough: { eligible: true, reasons: [] },
        waitToken: undefined,
        waitingFor: undefined,
      },
      events: [],
      signals: [resumeSignal(c.waitToken, { action: 'straight_through' })],
    };
  });
  return resumed;
}

/** The loss as reported, shaped as assessment items on the cover that answers the cause. */
function itemsFromReport(c: Claim, coverCode: string, line: string): LossItem[] {
  if (c.report.facts.kind === 'property') {
    return c.report.facts.items.map((i) => ({
      description: i.description,
      coverCode,
      assessedAmount: i.estimatedAmount,
      kind: 'repair' as const,
    }));
  }
  const kind = line === 'motor' ? 'repair' : line === 'health' ? 'medical' : 'other';
  return [
    {
      description: c.report.description.slice(0, 300),
      coverCode,
      assessedAmount: c.report.estimatedAmount.amount,
      kind,
    },
  ];
}

/**
 * Workflow step (straight-through): the payout engine assesses the claim by rule — the reported
 * amount on the cover that answers the cause — and approves it with no human step. Every step is
 * recorded as events, exactly as if a person had done it.
 */
export async function assessByRule(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, async (c) => {
    if (c.decision) return null; // a retried task
    const [policy, product] = await Promise.all([getPolicy(c.policyNumber), loadProduct(c.productCode)]);
    if (!policy || !product) throw new DomainError('POLICY_NOT_FOUND', 'Policy or product missing');
    const cover = policy.covers.find((x) => x.causes.includes(c.report.cause));
    if (!cover) throw new DomainError('INVALID_TRANSITION', 'No cover answers this cause');
    const items = itemsFromReport(c, cover.code, product.line);
    const objectDamage = items.some((i) => i.kind === 'repair' || i.kind === 'replacement');
    const input = {
      items,
      covers: policy.covers,
      marketValue: objectDamage ? (policy.insuredValue ?? cover.sumInsured) : undefined,
      insuredValue: policy.insuredValue,
      depreciation: { bpsPerYear: 0, maxBps: 0, waived: policy.addOns.includes(NEW_FOR_OLD) },
    };
    const payout = calculatePayout(input);
    if (payout.payable.amount <= 0)
      throw new DomainError('INVALID_TRANSITION', 'Nothing payable by rule; a person must assess');
    const now = clock.now().toISOString();
    assertTransition(c.status, 'ASSESSED');
    const by = { id: 'system', role: 'system' };
    return {
      claim: {
        ...c,
        status: 'APPROVED',
        assessment: {
          input,
          payable: payout.payable,
          totalLoss: payout.totalLoss,
          steps: payout.steps,
          recordedAt: now,
          recordedBy: by,
          method: 'rule',
        },
        decision: { outcome: 'approve', amount: payout.payable, reasons: [], decidedAt: now, decidedBy: by },
      },
      events: [
        { type: 'AssessmentRecorded', actor: SYSTEM, data: { method: 'rule', items } },
        {
          type: 'PayoutCalculated',
          actor: SYSTEM,
          data: { payable: payout.payable, totalLoss: payout.totalLoss, steps: payout.steps },
        },
        { type: 'ClaimApproved', actor: SYSTEM, data: { amount: payout.payable, straightThrough: true } },
      ],
    };
  });
  return { claimId, status: claim.status, payable: claim.decision?.amount.amount ?? 0 };
}
