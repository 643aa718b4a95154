import { describe, expect, it } from 'vitest';
import { hasBlockingCheck, runIntakeChecks } from '../../lambdas/core/checks.ts';
import { isStraightThrough } from '../../lambdas/core/classify.ts';
import { DEFAULT_PRODUCTS } from '../../lambdas/core/products.ts';
import { makeClaimRequest, makePolicy } from '../helpers/factories.ts';

const motorOd = DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!;
const base = {
  customerId: 'CUS-0001',
  policy: makePolicy(),
  product: motorOd,
  priorClaims: [],
  receivedAt: new Date('2026-11-21T02:00:00Z'),
};

const codes = (r: ReturnType<typeof runIntakeChecks>) => r.map((c) => c.code);

describe('intake checks', () => {
  it('passes a timely claim on an in-force policy for a covered peril', () => {
    const r = runIntakeChecks({ ...base, report: makeClaimRequest() });
    expect(r).toEqual([]);
    expect(hasBlockingCheck(r)).toBe(false);
  });

  it('reports a missing policy and stops there', () => {
    const r = runIntakeChecks({
      ...base,
      policy: undefined,
      report: makeClaimRequest({ policyNumber: 'NOPE-1' }),
    });
    expect(r).toEqual([{ code: 'POLICY_NOT_FOUND', severity: 'block', params: { policyNumber: 'NOPE-1' } }]);
  });

  it('reports a policy that belongs to someone else', () => {
    const r = runIntakeChecks({ ...base, customerId: 'CUS-9999', report: makeClaimRequest() });
    expect(codes(r)).toEqual(['POLICY_NOT_OWNED']);
  });

  it('blocks a loss outside the policy period, with the dates', () => {
    const r = runIntakeChecks({
      ...base,
      report: makeClaimRequest({ lossAt: '2025-12-31T23:00:00+07:00' }),
      receivedAt: new Date('2026-01-03T00:00:00Z'),
    });
    expect(r[0]).toMatchObject({
      code: 'POLICY_NOT_IN_FORCE',
      severity: 'block',
      params: { lossDate: '2025-12-31', effectiveFrom: '2026-01-01' },
    });
  });

  it('blocks a lapsed policy even inside its dates', () => {
    const r = runIntakeChecks({
      ...base,
      policy: makePolicy({ status: 'lapsed' }),
      report: makeClaimRequest(),
    });
    expect(codes(r)).toContain('POLICY_NOT_IN_FORCE');
  });

  it('blocks a peril the policy does not cover', () => {
    const r = runIntakeChecks({ ...base, report: makeClaimRequest({ cause: 'glass_breakage' }) });
    expect(codes(r)).toEqual(['PERIL_NOT_COVERED']);
  });

  it('flags late notice beyond the product window as a warning with the days late', () => {
    // Loss on 2026-11-10 (VN), notice window 5 days, received 2026-11-21 (VN) → 6 days late.
    const r = runIntakeChecks({ ...base, report: makeClaimRequest({ lossAt: '2026-11-10T09:00:00+07:00' }) });
    expect(r).toEqual([
      {
        code: 'LATE_NOTICE',
        severity: 'warn',
        params: { noticeDays: 5, daysLate: 6, lossDate: '2026-11-10' },
      },
    ]);
  });

  it('blocks a claim filed more than one year after the loss (Art. 30)', () => {
    const policy = makePolicy({ effectiveFrom: '2025-01-01T00:00:00+07:00' });
    const r = runIntakeChecks({
      ...base,
      policy,
      report: makeClaimRequest({ lossAt: '2025-11-20T10:00:00+07:00' }),
    });
    expect(r).toContainEqual(
      expect.objectContaining({
        code: 'LEGAL_WINDOW_EXPIRED',
        params: expect.objectContaining({ deadline: '2026-11-20' }),
      }),
    );
  });

  it('accepts a claim filed exactly on the anniversary', () => {
    const policy = makePolicy({ effectiveFrom: '2025-01-01T00:00:00+07:00' });
    const r = runIntakeChecks({
      ...base,
      policy,
      report: makeClaimRequest({ lossAt: '2025-11-21T10:00:00+07:00' }),
    });
    expect(codes(r)).not.toContain('LEGAL_WINDOW_EXPIRED');
  });

  it('flags a likely duplicate: same policy, loss date (VN) and cause', () => {
    const prior = [
      { claimId: 'x', claimNumber: 'BT-2026-000007', lossAt: '2026-11-20T02:00:00.000Z', cause: 'collision' },
    ];
    const r = runIntakeChecks({ ...base, priorClaims: prior, report: makeClaimRequest() });
    expect(r).toEqual([
      {
        code: 'POSSIBLE_DUPLICATE',
        severity: 'warn',
        params: { otherClaimNumber: 'BT-2026-000007', otherClaimId: 'x' },
      },
    ]);
    // Four days apart, another loss.
    const later = runIntakeChecks({
      ...base,
      priorClaims: [{ ...prior[0]!, lossAt: '2026-11-24T02:00:00.000Z' }],
      report: makeClaimRequest(),
    });
    expect(later).toEqual([]);
  });

  it('flags the same loss filed again under another cause or just across midnight', () => {
    const prior = {
      claimId: 'x',
      claimNumber: 'BT-2026-000007',
      lossAt: '2026-11-20T02:00:00.000Z', // 09:00 in Vietnam, half an hour after this claim's loss
      cause: 'collision',
    };
    // A collision filed again as vandalism.
    expect(
      runIntakeChecks({
        ...base,
        priorClaims: [{ ...prior, cause: 'vandalism' }],
        report: makeClaimRequest(),
      }),
    ).toEqual([
      {
        code: 'POSSIBLE_DUPLICATE',
        severity: 'warn',
        params: {
          otherClaimNumber: 'BT-2026-000007',
          otherClaimId: 'x',
          hoursApart: 1,
          otherCause: 'vandalism',
        },
      },
    ]);
    // 23:50 on the 19th and 00:10 on the 20th (Vietnam): another day, the same loss.
    const r = runIntakeChecks({
      ...base,
      priorClaims: [{ ...prior, lossAt: '2026-11-19T23:50:00+07:00' }],
      report: makeClaimRequest({ lossAt: '2026-11-20T00:10:00+07:00' }),
    });
    expect(r).toMatchObject([{ code: 'POSSIBLE_DUPLICATE', params: { otherClaimId: 'x', hoursApart: 0 } }]);
  });

  it('blocks a loss reported in the future', () => {
    const r = runIntakeChecks({ ...base, report: makeClaimRequest({ lossAt: '2026-11-22T10:00:00+07:00' }) });
    expect(codes(r)).toContain('LOSS_IN_FUTURE');
  });

  describe('a policy changed after the loss', () => {
    // Loss 2026-11-20 08:30 (+07:00); version 2 recorded two days later adds a cover and raises the sum.
    const v1 = makePolicy();
    const v2 = {
      ...v1,
      version: 2,
      changeType: 'endorsement' as const,
      changeEffectiveAt: '2026-11-22T00:00:00+07:00',
      covers: [
        ...v1.covers.map((c) => ({ ...c, sumInsured: 900_000_000 })),
        { ...v1.covers[0]!, code: 'GLASS' },
      ],
    };
    const versions = [
      { policy: v1, recordedAt: '2026-01-01T00:00:00.000Z' },
      { policy: v2, recordedAt: '2026-11-22T01:00:00.000Z' },
    ];

    it('refers the claim (a block: never straight-through) and names what widened', () => {
      const r = runIntakeChecks({
        ...base,
        policy: v1,
        policyVersions: versions,
        report: makeClaimRequest(),
      });
      expect(r).toEqual([
        {
          code: 'POLICY_CHANGED_AFTER_LOSS',
          severity: 'block',
          params: {
            version: 2,
            recordedDate: '2026-11-22',
            lossDate: '2026-11-20',
            changes: 'v2 sumInsured:OD, v2 cover:GLASS',
          },
        },
      ]);
      expect(hasBlockingCheck(r)).toBe(true);
      const stp = isStraightThrough({
        product: motorOd,
        estimatedAmount: { amount: 1_000_000, currency: 'VND' },
        checks: r,
        dossierComplete: true,
        fraudIndicators: 0,
      });
      expect(stp).toMatchObject({ eligible: false, reasons: ['CHECK_POLICY_CHANGED_AFTER_LOSS'] });
    });

    it('refers new business first recorded after the loss', () => {
      const r = runIntakeChecks({
        ...base,
        policyVersions: [{ policy: v1, recordedAt: '2026-11-21T00:00:00.000Z' }],
        report: makeClaimRequest(),
      });
      expect(r).toMatchObject([
        { code: 'POLICY_CHANGED_AFTER_LOSS', params: { version: 1, changes: 'v1 new' } },
      ]);
    });

    it('passes when every version was recorded before the loss', () => {
      const early = versions.map((v) => ({ ...v, recordedAt: '2026-11-01T00:00:00.000Z' }));
      expect(runIntakeChecks({ ...base, policyVersions: early, report: makeClaimRequest() })).toEqual([]);
    });
  });
});
