import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTAS, QuotaLimits, quotaWindow } from '../../lambdas/core/quotas.ts';

describe('quota windows (Vietnamese calendar days)', () => {
  it('counts by the date in Vietnam and resets at midnight there', () => {
    // 23:59:30 on 2 Dec in Vietnam is 16:59:30 UTC.
    const w = quotaWindow(new Date('2026-12-02T16:59:30Z'));
    expect(w.date).toBe('2026-12-02');
    expect(w.resetsAt.toISOString()).toBe('2026-12-02T17:00:00.000Z');
    expect(w.retryAfterSeconds).toBe(30);
    // A UTC evening is already the next day in Vietnam.
    const next = quotaWindow(new Date('2026-12-02T17:00:00Z'));
    expect(next.date).toBe('2026-12-03');
    expect(next.retryAfterSeconds).toBe(24 * 3600);
  });

  it('never answers Retry-After 0 and keeps the counter a day past its window', () => {
    const w = quotaWindow(new Date('2026-12-02T16:59:59.900Z'));
    expect(w.retryAfterSeconds).toBe(1);
    expect(w.expiresAtEpoch).toBe(Date.parse('2026-12-03T17:00:00Z') / 1000);
  });

  it('ships real defaults and refuses limits that are not positive whole numbers', () => {
    expect(QuotaLimits.parse(DEFAULT_QUOTAS)).toEqual(DEFAULT_QUOTAS);
    expect(DEFAULT_QUOTAS.claimsPerCustomerPerDay).toBeLessThan(100);
    for (const bad of [0, -1, 1.5, 1e9]) {
      expect(QuotaLimits.safeParse({ ...DEFAULT_QUOTAS, claimsPerCustomerPerDay: bad }).success).toBe(false);
    }
    expect(QuotaLimits.safeParse({ ...DEFAULT_QUOTAS, extra: 1 }).success).toBe(false);
  });
});
