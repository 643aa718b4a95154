import { describe, expect, it } from 'vitest';
import { SubmitClaimRequest } from '../../lambdas/core/requests.ts';
import { DEMO_CLAIMS } from '../../local/demo-claims.ts';
import { DEMO_USERS, demoPolicies } from '../../local/demo-data.ts';

/**
 * The claims `npm start` files on its first run (local/demo-claims.ts) stay fileable as the
 * request schema and the demo policies change: a broken one would only show as "not filed" in the
 * start banner, with nobody looking.
 */
describe('demo claims', () => {
  const now = Date.parse('2026-12-04T03:00:00Z');
  const policies = demoPolicies(new Date(now));

  it('each is a valid first notice of loss', () => {
    for (const demo of DEMO_CLAIMS) {
      const parsed = SubmitClaimRequest.safeParse(demo.report(now));
      expect(parsed.error?.issues ?? [], demo.label).toEqual([]);
    }
  });

  it('each is on a policy of its own customer, in force at the loss, with a cover for its cause', () => {
    for (const demo of DEMO_CLAIMS) {
      const report = demo.report(now);
      const customerId = DEMO_USERS.find((u) => u.username === demo.username)?.customerId;
      const policy = policies.find((p) => p.policyNumber === report.policyNumber);
      expect(policy?.customerId, demo.label).toBe(customerId);
      expect(policy?.status, demo.label).toBe('in_force');
      const loss = Date.parse(report.lossAt);
      expect(loss).toBeGreaterThan(Date.parse(policy!.effectiveFrom));
      expect(loss).toBeLessThan(Math.min(now, Date.parse(policy!.effectiveTo)));
      expect(
        policy?.covers.some((c) => c.causes.includes(report.cause)),
        demo.label,
      ).toBe(true);
    }
  });
});
