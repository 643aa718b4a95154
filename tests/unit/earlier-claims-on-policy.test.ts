import { describe, expect, it } from 'vitest';
import { earlierOnPolicyIn } from '../../lambdas/app/straight-through.ts';
import type { Claim } from '../../lambdas/core/claim.ts';

/** Just what the rule reads of a claim. */
const claim = (claimId: string, policyNumber: string, submittedAt: string) =>
  ({ claimId, policyNumber, submittedAt }) as Claim;
const page = (claims: Claim[], next?: string) =>
  ({ items: claims.map((item) => ({ item })), ...(next ? { next } : {}) }) as Parameters<
    typeof earlierOnPolicyIn
  >[1];

const mine = claim('c-now', 'MOT-1', '2026-12-03T08:00:00.000Z');

describe("earlier claims on the policy, from the customer's claims already read", () => {
  it('finds an earlier claim on the same policy', () => {
    const history = page([mine, claim('c-old', 'MOT-1', '2026-11-01T08:00:00.000Z')], 'more');
    expect(earlierOnPolicyIn(mine, history)).toBe(1);
  });

  it('counts neither the claim itself, a later claim, nor claims on the customer’s other policies', () => {
    const history = page([
      claim('c-later', 'MOT-1', '2026-12-03T09:00:00.000Z'),
      mine,
      claim('c-other', 'HOME-7', '2026-10-01T08:00:00.000Z'),
    ]);
    expect(earlierOnPolicyIn(mine, history)).toBe(0);
  });

  it('does not answer "none" when the page stops before the customer’s oldest claims', () => {
    const history = page([mine, claim('c-other', 'HOME-7', '2026-10-01T08:00:00.000Z')], 'cursor');
    expect(earlierOnPolicyIn(mine, history)).toBeUndefined();
  });
});
