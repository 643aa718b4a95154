import { describe, expect, it } from 'vitest';
import { metricsOfEvent } from '../../lambdas/core/claim-metrics.ts';

describe('business metrics from claim events', () => {
  it('counts filings, approvals (straight-through apart), breaches and referrals', () => {
    expect(metricsOfEvent({ type: 'ClaimSubmitted' })).toEqual(['ClaimsFiled']);
    expect(metricsOfEvent({ type: 'ClaimApproved', data: { straightThrough: true } })).toEqual([
      'ClaimsApproved',
      'StraightThroughApproved',
    ]);
    expect(metricsOfEvent({ type: 'ClaimApproved', data: { amount: 1 } })).toEqual(['ClaimsApproved']);
    expect(metricsOfEvent({ type: 'ClaimPartiallyApproved' })).toEqual(['ClaimsApproved']);
    expect(metricsOfEvent({ type: 'DeadlineBreached' })).toEqual(['DeadlineBreaches']);
    expect(metricsOfEvent({ type: 'ClaimReferred' })).toEqual(['ClaimsReferred']);
    expect(metricsOfEvent({ type: 'ClaimReferredToSiu' })).toEqual(['SiuReferrals']);
  });

  it('counts nothing for other events', () => {
    expect(metricsOfEvent({ type: 'DeadlineScheduled' })).toEqual([]);
    expect(metricsOfEvent({ type: 'ClaimPaid' })).toEqual([]);
  });
});
