import { claimsByPolicy } from '../adapters/dynamo/claims-repo.ts';
import type { Claim } from '../core/claim.ts';
import {
  type ClaimOnPolicy,
  type CoverUsed,
  type PersonFacts,
  sumInsuredBoundsPeriod,
  sumInsuredUsed,
} from '../core/payout.ts';
import type { Policy } from '../core/policy.ts';

/** Of a claim's facts, only what names the insured person it is for (the patient of a health claim). */
const personFacts = (f: PersonFacts | undefined): PersonFacts | undefined =>
  f ? { kind: f.kind, ...(f.patientName ? { patientName: f.patientName } : {}) } : undefined;

/** Claims read per page of the policy's index (GSI4). */
const PAGE = 100;

/**
 * What the other claims in the claim's policy period took from each cover's sum insured, for a
 * product whose sums insured bound the period (core/payout.ts `sumInsuredBoundsPeriod`; the pure
 * rule is core/payout.ts `sumInsuredUsed`, which also says what counts and how the race of two
 * assessments at once is bounded). Reads every claim on the policy a page at a time, keeping only
 * what the rule needs, and answers for the covers of `policy` only. On a policy listing several
 * insured persons the pool is each person's (the patient named in a health claim's facts, matched to
 * the listed names: no person id exists), and a travel claim is not capped by the others. The index is eventually
 * consistent, so a claim assessed a moment ago may not be seen yet (the same race).
 */
export async function sumInsuredUsedBy(
  c: Pick<Claim, 'claimId' | 'policyNumber' | 'productCode'> & { report: { facts?: PersonFacts } },
  policy: Pick<Policy, 'effectiveFrom' | 'effectiveTo' | 'covers'> & {
    insuredObject?: Pick<Policy['insuredObject'], 'insuredPersons'>;
  },
): Promise<CoverUsed[]> {
  if (!sumInsuredBoundsPeriod(c.productCode)) return [];
  const claims: ClaimOnPolicy[] = [];
  let after: string | undefined;
  do {
    const page = await claimsByPolicy(c.policyNumber, after, PAGE);
    for (const { item } of page.items) {
      if (item.claimId === c.claimId || !item.assessment) continue;
      claims.push({
        claimId: item.claimId,
        status: item.status,
        decision: item.decision,
        assessment: item.assessment,
        report: { lossAt: item.report.lossAt, facts: personFacts(item.report.facts) },
      });
    }
    after = page.next;
  } while (after);
  const used = sumInsuredUsed(
    claims,
    { from: policy.effectiveFrom, to: policy.effectiveTo },
    c.claimId,
    { insuredPersons: policy.insuredObject?.insuredPersons, facts: personFacts(c.report.facts) },
    c.productCode,
  );
  // A cover an endorsement removed since the other claim was assessed has nothing left to cap here.
  const codes = new Set(policy.covers.map((x) => x.code));
  return used.filter((u) => codes.has(u.coverCode));
}
