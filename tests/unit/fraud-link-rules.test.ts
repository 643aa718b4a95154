import { describe, expect, it } from 'vitest';
import {
  CLAIMS_PER_LINK,
  LINKS_PER_ATTRIBUTE,
  MAX_CLAIMS_PER_LINK,
  otherCustomersClaims,
  recordsClaim,
} from '../../lambdas/core/fraud/links.ts';

const claims = (n: number, customerId: string, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    claimId: `${customerId}-${String(from + i).padStart(4, '0')}`,
    customerId,
  }));

describe('what a shared attribute value records and shows', () => {
  it('records every claim until the value is busy, never one twice', () => {
    const some = claims(3, 'CUS-A');
    expect(recordsClaim(some, { claimId: 'new', customerId: 'CUS-A' })).toBe(true);
    expect(recordsClaim(some, some[1]!)).toBe(false);
  });

  it('past the busy mark still records a customer new to the value, not another claim of one it holds', () => {
    // One customer's claims fill the value (a demo customer, a busy garage's phone)...
    const busy = claims(CLAIMS_PER_LINK, 'CUS-A');
    expect(recordsClaim(busy, { claimId: 'A-more', customerId: 'CUS-A' })).toBe(false);
    // ...and another customer's claim under the same value is what a ring looks like: it is kept.
    expect(recordsClaim(busy, { claimId: 'B-1', customerId: 'CUS-B' })).toBe(true);
    const newcomers = Array.from({ length: MAX_CLAIMS_PER_LINK - CLAIMS_PER_LINK }, (_, i) => ({
      claimId: `N-${i}`,
      customerId: `CUS-N${i}`,
    }));
    const full = [...busy, ...newcomers];
    expect(full).toHaveLength(MAX_CLAIMS_PER_LINK);
    expect(recordsClaim(full, { claimId: 'Z-1', customerId: 'CUS-Z' })).toBe(false);
  });

  it("shows other customers' claims, however many of the customer's own come first", () => {
    // Claim-id order puts 30 of the customer's own claims before the other customer's one.
    const entries = [...claims(30, 'CUS-A'), { claimId: 'ZZZ-other', customerId: 'CUS-B' }];
    expect(otherCustomersClaims(entries, 'CUS-A')).toEqual([{ claimId: 'ZZZ-other', customerId: 'CUS-B' }]);
    const many = claims(LINKS_PER_ATTRIBUTE + 5, 'CUS-B');
    expect(otherCustomersClaims(many, 'CUS-A')).toEqual(many.slice(0, LINKS_PER_ATTRIBUTE));
  });
});
