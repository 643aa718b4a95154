import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../lambdas/core/claim.ts';
import { classify, initialReserve, isStraightThrough, severityBandOf } from '../../lambdas/core/classify.ts';
import { MAX_AMOUNT, vnd } from '../../lambdas/core/money.ts';
import { DEFAULT_PRODUCTS, type ProductConfig, productByCode } from '../../lambdas/core/products.ts';

const product = (code: string): ProductConfig => {
  const p = productByCode(DEFAULT_PRODUCTS, code);
  if (!p) throw new Error(code);
  return p;
};
const motor = product('MOTOR_OD');

describe('severity bands (inclusive upper bounds)', () => {
  it.each([
    [0, 'low'],
    [20_000_000, 'low'],
    [20_000_001, 'medium'],
    [100_000_000, 'medium'],
    [100_000_001, 'high'],
    [500_000_000, 'high'],
    [500_000_001, 'large_loss'],
  ] as const)('motor own damage: %i → %s', (amount, band) => {
    expect(severityBandOf(motor.severityBands, amount)).toBe(band);
  });
});

describe('classify', () => {
  it('classifies a 15,000,000 motor flood claim: low band, 120% reserve = 18,000,000', () => {
    expect(classify(motor, 'flood', vnd(15_000_000))).toEqual({
      line: 'motor',
      cause: 'flood',
      severityBand: 'low',
      reserve: vnd(18_000_000),
    });
  });

  it('uses the default share when the cause has none, and the minimum as a floor', () => {
    expect(classify(motor, 'collision', vnd(45_000_000)).reserve.amount).toBe(45_000_000);
    expect(classify(motor, 'collision', vnd(400_000)).reserve.amount).toBe(1_000_000);
    expect(classify(motor, 'collision', vnd(0)).reserve.amount).toBe(1_000_000);
  });

  it('rounds the reserve half up to whole đồng', () => {
    const fire = product('PROPERTY_FIRE'); // default 90%, fire 110%, minimum 5,000,000
    // 6,000,005 × 90% = 5,400,004.5 → 5,400,005.
    expect(classify(fire, 'storm', vnd(6_000_005)).reserve.amount).toBe(5_400_005);
    // 6,000,003 × 90% = 5,400,002.7 → 5,400,003; × 110% = 6,600,003.3 → 6,600,003.
    expect(classify(fire, 'storm', vnd(6_000_003)).reserve.amount).toBe(5_400_003);
    expect(classify(fire, 'fire', vnd(6_000_003)).reserve.amount).toBe(6_600_003);
    expect(classify(fire, 'fire', vnd(3_000_000_000)).severityBand).toBe('large_loss');
  });

  it('stays exact and within MAX_AMOUNT for huge estimates', () => {
    const reserve = { defaultBps: 50_000, byCauseBps: {}, minimum: 0 };
    expect(initialReserve(reserve, 'fire', 123_456_789_012_345)).toBe(617_283_945_061_725);
    expect(initialReserve(reserve, 'fire', MAX_AMOUNT)).toBe(MAX_AMOUNT);
  });
});

describe('isStraightThrough', () => {
  const base = {
    product: motor,
    estimatedAmount: vnd(8_000_000),
    checks: [] as CheckResult[],
    dossierComplete: true,
    fraudIndicators: 0,
  };

  it('lets a small, clean, complete claim through', () => {
    expect(isStraightThrough(base)).toEqual({ eligible: true, reasons: [] });
    expect(isStraightThrough({ ...base, estimatedAmount: vnd(10_000_000) }).eligible).toBe(true);
  });

  it('lists every reason a claim needs a person', () => {
    const checks: CheckResult[] = [
      { code: 'LATE_NOTICE', severity: 'warn', params: { daysLate: 2 } },
      { code: 'POLICY_NOT_IN_FORCE', severity: 'block', params: {} },
    ];
    expect(
      isStraightThrough({
        ...base,
        estimatedAmount: vnd(10_000_001),
        checks,
        dossierComplete: false,
        fraudIndicators: 2,
      }),
    ).toEqual({
      eligible: false,
      reasons: [
        'AMOUNT_ABOVE_LIMIT',
        'CHECK_LATE_NOTICE',
        'CHECK_POLICY_NOT_IN_FORCE',
        'DOSSIER_INCOMPLETE',
        'FRAUD_INDICATORS',
      ],
    });
  });

  it('treats a straightThroughMax of 0 as "never"', () => {
    const off = { ...motor, straightThroughMax: 0 };
    expect(isStraightThrough({ ...base, product: off, estimatedAmount: vnd(0) })).toEqual({
      eligible: false,
      reasons: ['STRAIGHT_THROUGH_DISABLED'],
    });
  });
});
