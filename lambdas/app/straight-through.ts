import { randomInt } from 'node:crypto';
import { claimsByPolicy, documentsOfClaim } from '../adapters/dynamo/claims-repo.ts';
import { policyOfClaim } from '../adapters/dynamo/policies-repo.ts';
import { listStaff, type UserProfile } from '../adapters/dynamo/users-repo.ts';
import type { PostAuditEntry } from '../adapters/dynamo/post-audit-repo.ts';
import type { Claim, ClaimDocument } from '../core/claim.ts';
import { sodFacts } from '../core/controls.ts';
import { openFraudIndicators, siuHoldsPayment } from '../core/fraud/siu.ts';
import { DomainError } from '../core/errors.ts';
import { type NewEvent, SYSTEM } from '../core/events.ts';
import { assertTransition } from '../core/lifecycle.ts';
import type { LossItem } from '../core/payout.ts';
import type { Policy } from '../core/policy.ts';
import { calculatePayout } from '../core/payout.ts';
import type { ProductConfig } from '../core/products.ts';
import {
  appealed,
  type Evidence,
  type StraightThroughVerdict,
  POST_AUDIT_BUCKETS,
  rulePayoutInput,
  sampledForPostAudit,
  straightThroughVerdict,
} from '../core/straight-through.ts';
import { businessDate, type Clock } from '../core/time.ts';
import { resumeSignal } from '../core/workflow-signals.ts';
import { staffFacts } from './approval-controls.ts';
import { mutateClaim } from './claim-store.ts';
import { sumInsuredUsedBy } from './cover-usage.ts';
import { loadProduct } from './products.ts';

/** What the straight-through rule reads besides the claim and its product. */
export interface StraightThroughReads {
  /** The policy the claim is checked against (the version it pinned). */
  policy: Policy | undefined;
  documents: readonly ClaimDocument[];
  /** 1 when another claim on the policy was filed before this one, else 0. */
  earlierClaims: number;
  /** The staff directory (active or not), for the segregation-of-duties facts. */
  staff: readonly UserProfile[];
}

/** A page of claims as a claim index returns it (newest first), with the cursor to the rest. */
type ClaimPage = Awaited<ReturnType<typeof claimsByPolicy>>;

/**
 * Loads what the straight-through rule needs: the policy, the documents and the earlier claims on
 * the policy; a caller that already read the policy and the documents passes them (`known`), and
 * the customer's claims when it read them too (`customerClaims`, newest first), which answer the
 * earlier-claims question without reading the policy's index when they reach far enough back.
 */
export async function straightThroughReads(
  c: Claim,
  known?: {
    policy: Policy | undefined;
    documents: readonly ClaimDocument[];
    customerClaims?: ClaimPage;
    staff?: readonly UserProfile[];
  },
): Promise<StraightThroughReads> {
  const fromHistory = known?.customerClaims && earlierOnPolicyIn(c, known.customerClaims);
  const [policy, documents, earlierClaims, staff] = await Promise.all([
    known ? known.policy : policyOfClaim(c),
    known?.documents ?? documentsOfClaim(c.claimId),
    fromHistory ?? earlierClaimOnPolicy(c),
    known?.staff ?? listStaff(),
  ]);
  return { policy, documents, earlierClaims, staff };
}

/** The straight-through verdict of a claim from what was read: the pure core/straight-through.ts rule. */
export function straightThroughOf(
  c: Claim,
  product: ProductConfig,
  { policy, documents, earlierClaims, staff }: StraightThroughReads,
): StraightThroughVerdict {
  return straightThroughVerdict({
    sod: sodFacts(c, staffFacts(staff), product, c.report.payoutAccount.accountFingerprint),
    claimId: c.claimId,
    product,
    estimatedAmount: c.report.estimatedAmount,
    checks: c.checks,
    dossierComplete: Boolean(c.dossierCompleteAt),
    fraudIndicators: openFraudIndicators(c),
    lossDate: businessDate(new Date(c.report.lossAt)),
    policy: policy && {
      startDate: businessDate(new Date(policy.effectiveFrom)),
      holderName: policy.holderName,
      holderIdNumber: policy.holderIdNumber,
    },
    earlierClaimsOnPolicy: earlierClaims,
    documents: documents
      .filter((d) => d.status === 'VERIFIED')
      .map((d) => ({
        documentId: d.documentId,
        docType: d.docType,
        sha256: d.sha256,
        declaredAmount: d.declaredAmount,
        einvoice: d.einvoice,
        duplicateOf: d.duplicateOf,
      })),
    duplicateInvoices: c.invoiceFlags?.length ?? 0,
  });
}

/**
 * Loads what the straight-through rule needs (policy, verified documents, earlier claims on the
 * policy) and returns its verdict; the decision itself is the pure core/straight-through.ts.
 */
export async function evaluateStraightThrough(
  c: Claim,
  product: ProductConfig,
): Promise<StraightThroughVerdict> {
  return straightThroughOf(c, product, await straightThroughReads(c));
}

/**
 * {@link earlierClaimOnPolicy} from the customer's claims already read: a policy's claims are all
 * its holder's (submission files only on the customer's own policies, and a policy import refuses
 * to move a policy to another customer), so the holder's claims include every claim on it.
 * Undefined when the page stops before the customer's oldest claim without finding one.
 */
export function earlierOnPolicyIn(c: Claim, customerClaims: ClaimPage): 0 | 1 | undefined {
  const earlier = customerClaims.items.some(
    ({ item }) =>
      item.policyNumber === c.policyNumber && item.claimId !== c.claimId && item.submittedAt < c.submittedAt,
  );
  if (earlier) return 1;
  return customerClaims.next ? undefined : 0;
}

/**
 * 1 when another claim on the policy was filed before this one, else 0: all the waiting-period rule
 * needs. Reads the policy's claims a page at a time and stops at the first earlier one.
 */
async function earlierClaimOnPolicy(c: Claim): Promise<number> {
  let after: string | undefined;
  do {
    const page = await claimsByPolicy(c.policyNumber, after, 50);
    if (page.items.some(({ item }) => item.claimId !== c.claimId && item.submittedAt < c.submittedAt))
      return 1;
    after = page.next;
  } while (after);
  return 0;
}

/** The verdict as recorded on the claim (and shown in the console). */
export const straightThroughRecord = (v: StraightThroughVerdict) => ({
  eligible: v.eligible,
  reasons: [...v.reasons],
  evidence: v.evidence,
});

/**
 * Called whenever a claim might have become simple enough to settle without a person (its
 * dossier just completed): if the product's rule says so and the workflow is waiting for an
 * assessment nobody has started, the workflow is resumed down the straight-through path. An
 * appealed claim is left for a person (core/straight-through.ts `appealed`).
 */
export async function maybeStraightThrough(claimId: string, clock: Clock): Promise<boolean> {
  let resumed = false;
  await mutateClaim(claimId, clock, async (c) => {
    resumed = false;
    if (c.waitingFor !== 'assessment' || !c.waitToken || c.assessment || c.status !== 'UNDER_ASSESSMENT')
      return null;
    if (appealed(c)) return null;
    const product = await loadProduct(c.productCode);
    if (!product) return null;
    const verdict = await evaluateStraightThrough(c, product);
    if (!verdict.eligible)
      return { claim: { ...c, straightThrough: straightThroughRecord(verdict) }, events: [] };
    resumed = true;
    return {
      claim: {
        ...c,
        straightThrough: straightThroughRecord(verdict),
        waitToken: undefined,
        waitingFor: undefined,
      },
      events: [],
      signals: [resumeSignal(c.waitToken, { action: 'straight_through' })],
    };
  });
  return resumed;
}

/**
 * The evidenced amount as one assessment item on the cover that answers the cause: the invoice
 * total (VAT included: the insured paid it) or the amount declared with the invoice/receipt.
 */
function itemsFromEvidence(
  evidence: Evidence & { amount: number },
  coverCode: string,
  line: string,
): LossItem[] {
  const kind = line === 'health' ? 'medical' : line === 'travel' ? 'other' : 'repair';
  const what = evidence.invoices.length
    ? evidence.invoices.map((i) => `HĐ ${i.series} số ${i.number} (${i.seller.taxCode})`).join(', ')
    : 'Số tiền trên hóa đơn/chứng từ khách hàng kê khai';
  return [{ description: what.slice(0, 300), coverCode, assessedAmount: evidence.amount, kind }];
}

/**
 * Workflow step (straight-through): the payout engine assesses the claim by rule — the evidenced
 * amount recorded when the rule let the claim through, on the cover that answers the cause — and
 * approves it with no human step. What it pays is never more than the evidence, the customer's
 * estimate or the product's straight-through limit. A sampled share of these payments joins the
 * post-audit queue in the same write. Every step is recorded as events, as if a person had done it.
 */
export async function assessByRule(claimId: string, clock: Clock) {
  const claim = await mutateClaim(claimId, clock, async (c) => {
    if (c.decision) return null; // a retried task
    // Referred after straight-through was decided (a rescore in between): a person decides.
    if (siuHoldsPayment(c))
      throw new DomainError('INVALID_TRANSITION', 'The claim is with the SIU; a person must decide');
    // A rejection a person made and the customer appealed is reviewed by a person; the workflow's
    // catch parks the claim for one (AssessByRule → AwaitAssessment).
    if (appealed(c))
      throw new DomainError('INVALID_TRANSITION', 'The claim was appealed; a person must decide');
    const [policy, product] = await Promise.all([policyOfClaim(c), loadProduct(c.productCode)]);
    if (!policy || !product) throw new DomainError('POLICY_NOT_FOUND', 'Policy or product missing');
    const cover = policy.covers.find((x) => x.causes.includes(c.report.cause));
    if (!cover) throw new DomainError('INVALID_TRANSITION', 'No cover answers this cause');
    const evidence = c.straightThrough?.evidence;
    if (!c.straightThrough?.eligible || evidence?.amount === undefined)
      throw new DomainError('INVALID_TRANSITION', 'Nothing evidenced to pay on; a person must assess');
    // The verdict again, on the documents as they are now: an invoice withdrawn (or a check changed)
    // between the resume and this step sends the claim to a person instead of paying on the old one.
    const current = await evaluateStraightThrough(c, product);
    if (!current.eligible || current.evidence.amount !== evidence.amount)
      throw new DomainError(
        'INVALID_TRANSITION',
        'The evidence changed since the rule let the claim through',
        {
          reasons: current.reasons,
        },
      );
    const items = itemsFromEvidence({ ...evidence, amount: evidence.amount }, cover.code, product.line);
    // What other claims of the policy period took from the sum insured is read here, at decision time.
    const input = rulePayoutInput(policy, cover, items, await sumInsuredUsedBy(c, policy));
    const payout = calculatePayout(input);
    if (payout.payable.amount <= 0)
      throw new DomainError('INVALID_TRANSITION', 'Nothing payable by rule; a person must assess');
    const ceiling = Math.min(evidence.amount, c.report.estimatedAmount.amount, product.straightThroughMax);
    if (payout.payable.amount > ceiling)
      throw new DomainError(
        'INVALID_TRANSITION',
        'The rule would pay above the evidence; a person must assess',
      );
    const now = clock.now().toISOString();
    assertTransition(c.status, 'ASSESSED');
    const by = { id: 'system', role: 'system' };
    const shareBps = product.straightThrough.postAuditShareBps;
    // Drawn here, at decision time, and recorded on ClaimApproved (staff-only data): nothing the
    // customer sends decides it. A retried write draws again only if nothing was committed.
    const postAuditDraw = randomInt(POST_AUDIT_BUCKETS);
    const sampled = sampledForPostAudit(postAuditDraw, shareBps);
    const audit: PostAuditEntry | undefined = sampled
      ? {
          claimId: c.claimId,
          claimNumber: c.claimNumber,
          productCode: c.productCode,
          status: 'pending',
          sampledAt: now,
          amount: payout.payable,
          basis: evidence.basis,
        }
      : undefined;
    const auditEvents: NewEvent[] = audit
      ? [
          {
            type: 'PostAuditSampled',
            actor: SYSTEM,
            data: { shareBps, draw: postAuditDraw, amount: payout.payable },
          },
        ]
      : [];
    return {
      postAudit: audit ? [audit] : [],
      claim: {
        ...c,
        ...(audit
          ? { postAudit: { status: 'pending', sampledAt: now, shareBps, amount: payout.payable } }
          : {}),
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
        { type: 'AssessmentRecorded', actor: SYSTEM, data: { method: 'rule', items, evidence } },
        {
          type: 'PayoutCalculated',
          actor: SYSTEM,
          data: { payable: payout.payable, totalLoss: payout.totalLoss, steps: payout.steps },
        },
        {
          type: 'ClaimApproved',
          actor: SYSTEM,
          data: {
            amount: payout.payable,
            straightThrough: true,
            postAudit: { draw: postAuditDraw, shareBps },
          },
        },
        ...auditEvents,
      ],
    };
  });
  return { claimId, status: claim.status, payable: claim.decision?.amount.amount ?? 0 };
}
