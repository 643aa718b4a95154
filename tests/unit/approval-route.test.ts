import { describe, expect, it } from 'vitest';
import { approvalRoute, blockingChecks } from '../../lambdas/core/approval-route.ts';
import type { CheckResult } from '../../lambdas/core/claim.ts';

const product = { jointDecision: { threshold: 150_000_000, departments: [], quorum: 1 } };
const adjuster = { authorityLimit: 50_000_000, supervisor: false };
const supervisor = { authorityLimit: 200_000_000, supervisor: true };

describe('who must agree to a payout', () => {
  it('the decider within their limit; a supervisor above it; the departments above the joint threshold', () => {
    expect(approvalRoute(50_000_000, product, adjuster)).toBe('none');
    expect(approvalRoute(50_000_001, product, adjuster)).toBe('supervisor');
    expect(approvalRoute(150_000_001, product, supervisor)).toBe('joint');
  });

  it('a claim the intake checks referred: an adjuster’s approval goes to a supervisor, whatever the amount', () => {
    expect(approvalRoute(1_000_000, product, adjuster, ['POLICY_NOT_IN_FORCE'])).toBe('supervisor');
    // A supervisor's own decision is the supervisor's word (with the reason in its note).
    expect(approvalRoute(1_000_000, product, supervisor, ['POLICY_NOT_IN_FORCE'])).toBe('none');
    expect(approvalRoute(150_000_001, product, adjuster, ['LEGAL_WINDOW_EXPIRED'])).toBe('joint');
  });

  it('only `block` results are overridden by paying; warnings are not', () => {
    const checks: CheckResult[] = [
      { code: 'LATE_NOTICE', severity: 'warn', params: {} },
      { code: 'POLICY_CHANGED_AFTER_LOSS', severity: 'block', params: {} },
    ];
    expect(blockingChecks(checks)).toEqual(['POLICY_CHANGED_AFTER_LOSS']);
    expect(blockingChecks([checks[0]!])).toEqual([]);
  });
});
