import { describe, expect, it } from 'vitest';
import { matchesPaidSearch, SiuPaidQuery } from '../../lambdas/core/fraud/siu.ts';

/** The SIU's retrospective search over paid claims (GET /siu/paid): each filter on its own. */
const paid = (over: Partial<Parameters<typeof matchesPaidSearch>[0]> = {}) => ({
  productCode: 'MOTOR_OD' as const,
  // 23:30 UTC on 31 May is 1 June in Vietnam.
  payment: {
    amount: { amount: 9_000_000, currency: 'VND' as const },
    queuedAt: '',
    paidAt: '2026-05-31T23:30:00.000Z',
  },
  fraud: { score: 0.42 } as never,
  fraudIndicators: [{ code: 'ROUND_AMOUNT', weight: 1 }],
  ...over,
});

describe('matchesPaidSearch', () => {
  it('keeps everything without filters', () => {
    expect(matchesPaidSearch(paid(), {})).toBe(true);
  });

  it('filters by product', () => {
    expect(matchesPaidSearch(paid(), { product: 'MOTOR_OD' })).toBe(true);
    expect(matchesPaidSearch(paid(), { product: 'HEALTH' })).toBe(false);
  });

  it('filters by the Vietnamese day paid, both ends inclusive', () => {
    expect(matchesPaidSearch(paid(), { paidFrom: '2026-06-01', paidTo: '2026-06-01' })).toBe(true);
    expect(matchesPaidSearch(paid(), { paidFrom: '2026-06-02' })).toBe(false);
    expect(matchesPaidSearch(paid(), { paidTo: '2026-05-31' })).toBe(false);
    expect(matchesPaidSearch(paid({ payment: undefined }), { paidFrom: '2026-01-01' })).toBe(false);
  });

  it('filters by the lowest score and by whether a red flag fired', () => {
    expect(matchesPaidSearch(paid(), { minScore: 0.42 })).toBe(true);
    expect(matchesPaidSearch(paid(), { minScore: 0.5 })).toBe(false);
    expect(matchesPaidSearch(paid({ fraud: undefined }), { minScore: 0.01 })).toBe(false);
    expect(matchesPaidSearch(paid(), { flagged: 'true' })).toBe(true);
    expect(matchesPaidSearch(paid(), { flagged: 'false' })).toBe(false);
    expect(matchesPaidSearch(paid({ fraudIndicators: [] }), { flagged: 'false' })).toBe(true);
  });

  it('bounds the query: dates, score range, order of the dates', () => {
    expect(SiuPaidQuery.safeParse({ minScore: '0.3', paidFrom: '2026-01-01' }).success).toBe(true);
    for (const bad of [
      { minScore: '1.5' },
      { paidFrom: '2026-02-30x' },
      { paidFrom: '2026-03-01', paidTo: '2026-02-01' },
      { after: 'x' },
    ])
      expect(SiuPaidQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
