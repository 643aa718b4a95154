import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/core/errors.ts';
import {
  calculatePayout,
  PAYOUT_STEP_CODES,
  type PayoutInputIn,
  type PayoutResult,
} from '../../lambdas/core/payout.ts';
import type { Cover } from '../../lambdas/core/policy.ts';

type CoverIn = Omit<Cover, 'deductible'> & {
  deductible?: Omit<NonNullable<Cover['deductible']>, 'waivedOnTotalLoss'> & { waivedOnTotalLoss?: boolean };
};

const makeCover = (overrides: Partial<CoverIn> = {}): CoverIn => ({
  code: 'OD',
  name: { vi: 'Vật chất xe', en: 'Own damage' },
  causes: ['collision'],
  sumInsured: 800_000_000,
  // Typical motor own damage: 10% of the loss, at least 500,000 VND, none on a total loss.
  deductible: { percentBps: 1_000, minimum: 500_000, waivedOnTotalLoss: true },
  ...overrides,
});

const repair = (assessedAmount: number, coverCode = 'OD') => ({
  description: 'Sửa chữa',
  coverCode,
  assessedAmount,
  kind: 'repair' as const,
});

const makeInput = (overrides: Partial<PayoutInputIn> = {}): PayoutInputIn => ({
  items: [repair(30_000_000)],
  covers: [makeCover()],
  marketValue: 800_000_000,
  ...overrides,
});

const step = (r: PayoutResult, code: string, coverCode: string | null = 'OD') => {
  const s = r.steps.find((x) => x.code === code && x.coverCode === coverCode);
  if (!s) throw new Error(`no ${code} step`);
  return s;
};

describe('calculatePayout — worked examples', () => {
  it('motor partial loss of 30,000,000 with a 10% deductible (min 500,000) pays 27,000,000', () => {
    const r = calculatePayout(makeInput());
    expect(r.payable).toEqual({ amount: 27_000_000, currency: 'VND' });
    expect(r.totalLoss).toBe(false);
    expect(r.steps.map((s) => s.code)).toEqual([
      'assessed',
      'total_loss',
      'market_value_cap',
      'average_clause',
      'sum_insured_cap',
      'deductible',
      'cover_payable',
      'payable',
    ]);
    expect(step(r, 'deductible')).toMatchObject({
      delta: -3_000_000,
      applied: true,
      amount: { amount: 27_000_000 },
    });
    expect(step(r, 'deductible').detail.en).toContain('10% × 30,000,000 VND = 3,000,000 VND');
    expect(step(r, 'deductible').detail.vi).toContain('3.000.000 ₫');
    expect(step(r, 'total_loss').applied).toBe(false);
  });

  it('applies the 500,000 minimum deductible to a small loss: 4,000,000 → 3,500,000', () => {
    const r = calculatePayout(makeInput({ items: [repair(4_000_000)] }));
    expect(r.payable.amount).toBe(3_500_000);
    expect(step(r, 'deductible').params['deducted']).toBe(500_000);
  });

  it('never lets the deductible take the payout below zero', () => {
    const r = calculatePayout(makeInput({ items: [repair(300_000)] }));
    expect(r.payable.amount).toBe(0);
    expect(step(r, 'deductible').delta).toBe(-300_000);
  });

  it('depreciates replaced parts by age (10%/year, capped at 50%) unless waived', () => {
    const items = [
      repair(12_000_000),
      {
        description: 'Đèn pha',
        coverCode: 'OD',
        assessedAmount: 18_000_000,
        kind: 'replacement' as const,
        partAgeYears: 3,
      },
    ];
    const depreciation = { bpsPerYear: 1_000, maxBps: 5_000, waived: false };
    // 18,000,000 × 30% = 5,400,000 off → 24,600,000; 10% deductible 2,460,000 → 22,140,000.
    const r = calculatePayout(makeInput({ items, depreciation }));
    expect(step(r, 'depreciation').delta).toBe(-5_400_000);
    expect(r.perCover[0]?.afterDepreciation.amount).toBe(24_600_000);
    expect(r.payable.amount).toBe(22_140_000);

    // 7 years would be 70%, capped at 50%: 9,000,000 off → 21,000,000 − 2,100,000 = 18,900,000.
    const old = calculatePayout(
      makeInput({ items: [items[0]!, { ...items[1]!, partAgeYears: 7 }], depreciation }),
    );
    expect(old.payable.amount).toBe(18_900_000);

    // The "no depreciation" add-on: 30,000,000 − 3,000,000.
    const waived = calculatePayout(makeInput({ items, depreciation: { ...depreciation, waived: true } }));
    expect(waived.payable.amount).toBe(27_000_000);
    expect(step(waived, 'depreciation')).toMatchObject({ applied: false, delta: 0 });
  });

  it('rounds every percentage deduction down to whole đồng (in the insured’s favour)', () => {
    // 10% of 12,345,675 = 1,234,567.5 → 1,234,567 deducted.
    const r = calculatePayout(makeInput({ items: [repair(12_345_675)] }));
    expect(r.payable.amount).toBe(12_345_675 - 1_234_567);
    // 0.01% of 1,000,001 = 100.0001 → 100 depreciated.
    const d = calculatePayout(
      makeInput({
        items: [
          {
            description: 'Gương',
            coverCode: 'OD',
            assessedAmount: 1_000_001,
            kind: 'replacement',
            partAgeYears: 1,
          },
        ],
        depreciation: { bpsPerYear: 1, maxBps: 10_000 },
        covers: [makeCover({ deductible: undefined })],
      }),
    );
    expect(d.payable.amount).toBe(999_901);
  });

  it('total loss: damage ≥ 75% of market value pays market value less salvage, no deductible', () => {
    // Market value 500,000,000; damage 400,000,000 (80%); wreck worth 50,000,000.
    const input = makeInput({
      items: [repair(400_000_000)],
      covers: [makeCover({ sumInsured: 500_000_000 })],
      marketValue: 500_000_000,
      salvage: 50_000_000,
    });
    const r = calculatePayout(input);
    expect(r.totalLoss).toBe(true);
    expect(r.payable.amount).toBe(450_000_000);
    expect(step(r, 'total_loss')).toMatchObject({
      applied: true,
      amount: { amount: 450_000_000 },
      delta: 50_000_000,
    });
    expect(step(r, 'deductible')).toMatchObject({ applied: false, params: { waived: true } });
    expect(step(r, 'salvage')).toMatchObject({ applied: false, delta: 0 });

    // Without the waiver: 10% of 450,000,000 = 45,000,000.
    const notWaived = calculatePayout({
      ...input,
      covers: [makeCover({ sumInsured: 500_000_000, deductible: { percentBps: 1_000, minimum: 500_000 } })],
    });
    expect(notWaived.payable.amount).toBe(405_000_000);
  });

  it('total-loss threshold is inclusive: exactly 75% is a total loss, one đồng less is not', () => {
    const base = {
      covers: [makeCover({ sumInsured: 500_000_000 })],
      marketValue: 500_000_000,
      salvage: 50_000_000,
    };
    expect(calculatePayout(makeInput({ ...base, items: [repair(375_000_000)] })).totalLoss).toBe(true);
    const partial = calculatePayout(makeInput({ ...base, items: [repair(374_999_999)] }));
    expect(partial.totalLoss).toBe(false);
    // 374,999,999 − floor(37,499,999.9) − 50,000,000 salvage = 287,500,000.
    expect(partial.payable.amount).toBe(287_500_000);
    expect(step(partial, 'salvage')).toMatchObject({ applied: true, delta: -50_000_000 });
  });

  it('under-insured property: pays loss × sum insured / value, then caps at the sum insured', () => {
    const base = {
      covers: [makeCover({ code: 'FIRE', sumInsured: 600_000_000, deductible: { fixed: 2_000_000 } })],
      marketValue: 1_000_000_000,
      insuredValue: 1_000_000_000,
    };
    // 200,000,000 × 600/1,000 = 120,000,000; fixed deductible 2,000,000 → 118,000,000.
    const small = calculatePayout(makeInput({ ...base, items: [repair(200_000_000, 'FIRE')] }));
    expect(step(small, 'average_clause', 'FIRE')).toMatchObject({ delta: -80_000_000, applied: true });
    expect(small.payable.amount).toBe(118_000_000);

    // 700,000,000 × 0.6 = 420,000,000 (capping at the sum insured first would give 360,000,000).
    const large = calculatePayout(makeInput({ ...base, items: [repair(700_000_000, 'FIRE')] }));
    expect(large.payable.amount).toBe(418_000_000);
    expect(step(large, 'sum_insured_cap', 'FIRE').applied).toBe(false);

    // Total loss (90%): 1,000,000,000 × 0.6 = 600,000,000, deductible not waived → 598,000,000.
    const total = calculatePayout(makeInput({ ...base, items: [repair(900_000_000, 'FIRE')] }));
    expect(total.totalLoss).toBe(true);
    expect(total.payable.amount).toBe(598_000_000);
  });

  it('uses the value at contract time (insuredValue) for the average clause when given', () => {
    // Value written on the policy 800M, SI 400M → ratio 1/2, though the market value is now 1,000M.
    const r = calculatePayout(
      makeInput({
        covers: [makeCover({ sumInsured: 400_000_000, deductible: undefined })],
        items: [repair(100_000_000)],
        marketValue: 1_000_000_000,
        insuredValue: 800_000_000,
      }),
    );
    expect(r.payable.amount).toBe(50_000_000);
  });

  it('caps object damage at market value at the time and place of loss', () => {
    // Threshold set to 100% so a repair bill above the value is still a partial loss.
    const r = calculatePayout(
      makeInput({
        covers: [makeCover({ deductible: undefined })],
        items: [repair(300_000_000)],
        marketValue: 250_000_000,
        insuredValue: 250_000_000,
        totalLossThresholdBps: 10_000,
      }),
    );
    expect(r.totalLoss).toBe(true); // 300M ≥ 100% of 250M
    expect(r.payable.amount).toBe(250_000_000);
  });

  it('applies a sub-limit and adds mitigation costs on top, outside every limit', () => {
    const r = calculatePayout(
      makeInput({
        covers: [makeCover({ sumInsured: 1_000_000_000, subLimit: 300_000_000, deductible: undefined })],
        items: [repair(500_000_000)],
        marketValue: 1_000_000_000,
        mitigationCosts: 20_000_000,
      }),
    );
    expect(step(r, 'sub_limit')).toMatchObject({ applied: true, amount: { amount: 300_000_000 } });
    expect(step(r, 'mitigation', null)).toMatchObject({ delta: 20_000_000, amount: { amount: 320_000_000 } });
    expect(r.payable.amount).toBe(320_000_000);
    expect(r.mitigation.amount).toBe(20_000_000);
  });

  it('applies only the highest contractual reduction', () => {
    // 27,000,000 after deductible; highest is 20% → 21,600,000.
    const r = calculatePayout(
      makeInput({
        reductions: [
          { code: 'late_notice', bps: 500 },
          { code: 'unapproved_repair', bps: 2_000 },
          { code: 'other', bps: 1_000 },
        ],
      }),
    );
    expect(r.payable.amount).toBe(21_600_000);
    expect(step(r, 'reduction').params).toMatchObject({ code: 'unapproved_repair', deducted: 5_400_000 });
    expect(r.steps.filter((s) => s.code === 'reduction')).toHaveLength(1);
  });

  it('runs a second, non-object cover (passenger accident) through its own limits only', () => {
    const r = calculatePayout(
      makeInput({
        covers: [
          makeCover(),
          makeCover({
            code: 'PA',
            causes: ['accident'],
            sumInsured: 50_000_000,
            subLimit: 20_000_000,
            deductible: undefined,
          }),
        ],
        items: [
          repair(30_000_000),
          { description: 'Viện phí', coverCode: 'PA', assessedAmount: 25_000_000, kind: 'medical' },
        ],
      }),
    );
    expect(r.perCover.map((c) => [c.coverCode, c.payable.amount, c.limit.amount])).toEqual([
      ['OD', 27_000_000, 800_000_000],
      ['PA', 20_000_000, 20_000_000],
    ]);
    expect(r.payable.amount).toBe(47_000_000);
    expect(r.steps.filter((s) => s.coverCode === 'PA').map((s) => s.code)).toEqual([
      'assessed',
      'sum_insured_cap',
      'sub_limit',
      'cover_payable',
    ]);
  });

  it('rejects inputs it cannot compute honestly', () => {
    expect(() => calculatePayout(makeInput({ items: [repair(1, 'NOPE')] }))).toThrow(ValidationError);
    expect(() => calculatePayout(makeInput({ marketValue: undefined }))).toThrow(ValidationError);
    expect(() =>
      calculatePayout(
        makeInput({ covers: [makeCover(), makeCover({ code: 'X' })], items: [repair(1), repair(1, 'X')] }),
      ),
    ).toThrow(ValidationError);
    expect(() => calculatePayout(makeInput({ items: [repair(-1)] }))).toThrow(ValidationError);
    expect(() => calculatePayout(makeInput({ items: [repair(1.5)] }))).toThrow(ValidationError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const amount = (max: number) => fc.integer({ min: 0, max });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const deductibleArb = optional(
  fc.record({
    fixed: optional(amount(50_000_000)),
    percentBps: optional(fc.integer({ min: 0, max: 10_000 })),
    minimum: optional(amount(5_000_000)),
    waivedOnTotalLoss: fc.boolean(),
  }),
);

const inputArb: fc.Arbitrary<PayoutInputIn> = fc
  .record({
    od: fc.record({
      sumInsured: amount(3_000_000_000),
      subLimit: optional(amount(3_000_000_000)),
      deductible: deductibleArb,
    }),
    pa: optional(
      fc.record({
        sumInsured: amount(500_000_000),
        subLimit: optional(amount(500_000_000)),
        deductible: deductibleArb,
      }),
    ),
    objectItems: fc.array(
      fc.record({
        assessedAmount: amount(2_000_000_000),
        kind: fc.constantFrom('repair' as const, 'replacement' as const),
        partAgeYears: optional(fc.integer({ min: 0, max: 20 })),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    // Towing and the like on the object cover: outside the market-value rules.
    odOther: fc.array(amount(50_000_000), { maxLength: 2 }),
    paItems: fc.array(
      fc.record({
        assessedAmount: amount(300_000_000),
        kind: fc.constantFrom('medical' as const, 'other' as const),
      }),
      {
        maxLength: 3,
      },
    ),
    marketValue: fc.integer({ min: 1, max: 3_000_000_000 }),
    insuredValue: optional(fc.integer({ min: 1, max: 3_000_000_000 })),
    depreciation: fc.record({
      bpsPerYear: fc.integer({ min: 0, max: 2_000 }),
      maxBps: fc.integer({ min: 0, max: 10_000 }),
      waived: fc.boolean(),
    }),
    salvage: amount(500_000_000),
    mitigationCosts: amount(100_000_000),
    reductions: fc.array(
      fc.record({
        code: fc.constantFrom('late_notice' as const, 'unapproved_repair' as const, 'other' as const),
        bps: fc.integer({ min: 0, max: 10_000 }),
      }),
      { maxLength: 3 },
    ),
    totalLossThresholdBps: fc.integer({ min: 1, max: 10_000 }),
  })
  .map((g) => {
    const covers: CoverIn[] = [makeCover({ ...g.od })];
    const items: NonNullable<PayoutInputIn['items']> = g.objectItems.map((i, n) => ({
      ...i,
      description: `item ${n}`,
      coverCode: 'OD',
    }));
    for (const [n, a] of g.odOther.entries()) {
      items.push({ description: `other ${n}`, coverCode: 'OD', assessedAmount: a, kind: 'other' });
    }
    if (g.pa) {
      covers.push(makeCover({ code: 'PA', causes: ['accident'], ...g.pa }));
      for (const [n, i] of g.paItems.entries()) items.push({ ...i, description: `pa ${n}`, coverCode: 'PA' });
    }
    return {
      items,
      covers,
      marketValue: g.marketValue,
      insuredValue: g.insuredValue,
      depreciation: g.depreciation,
      salvage: g.salvage,
      mitigationCosts: g.mitigationCosts,
      reductions: g.reductions,
      totalLossThresholdBps: g.totalLossThresholdBps,
    };
  });

// Hundreds of generated cases each: on a busy 2-core machine they need more than the default 5 s.
describe('calculatePayout — properties', { timeout: 60_000 }, () => {
  it('is a non-negative integer, within the covers’ limits plus mitigation, and adds up', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = calculatePayout(input);
        for (const s of r.steps) {
          expect(Number.isSafeInteger(s.amount.amount) && s.amount.amount >= 0).toBe(true);
          expect(Number.isSafeInteger(s.delta)).toBe(true);
        }
        let limits = 0;
        let covers = 0;
        for (const c of r.perCover) {
          expect(Number.isSafeInteger(c.payable.amount)).toBe(true);
          expect(c.payable.amount).toBeGreaterThanOrEqual(0);
          expect(c.payable.amount).toBeLessThanOrEqual(c.limit.amount);
          limits += c.limit.amount;
          covers += c.payable.amount;
        }
        expect(r.payable.amount).toBeGreaterThanOrEqual(0);
        expect(r.payable.amount).toBeLessThanOrEqual(limits + (input.mitigationCosts ?? 0));
        expect(r.payable.amount).toBe(covers + r.mitigation.amount);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone non-decreasing in any assessed amount, even across the total-loss switch', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), amount(2_000_000_000), (input, pick, extra) => {
        const items = input.items ?? [];
        const i = pick % items.length;
        const bumped = items.map((it, n) =>
          n === i ? { ...it, assessedAmount: it.assessedAmount + extra } : it,
        );
        const before = calculatePayout(input);
        const after = calculatePayout({ ...input, items: bumped });
        expect(after.payable.amount).toBeGreaterThanOrEqual(before.payable.amount);
      }),
      { numRuns: 500 },
    );
  });

  it('never drops when a partial loss becomes a total loss (one đồng either side of the threshold)', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(1_000_000), (input, below) => {
        const mv = input.marketValue ?? 1;
        const threshold = input.totalLossThresholdBps ?? 7_500;
        const atThreshold = Math.ceil((mv * threshold) / 10_000);
        const at = (n: number) => ({ ...input, items: [repair(Math.max(0, n))] });
        const partial = calculatePayout(at(atThreshold - 1 - below));
        const total = calculatePayout(at(atThreshold));
        expect(total.totalLoss).toBe(true);
        expect(total.payable.amount).toBeGreaterThanOrEqual(partial.payable.amount);
      }),
      { numRuns: 500 },
    );
  });

  it('lists each cover’s steps in the contract’s order, with deltas that reconcile', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = calculatePayout(input);
        for (const code of ['OD', 'PA']) {
          const own = r.steps.filter((s) => s.coverCode === code);
          const order = own.map((s) => PAYOUT_STEP_CODES.indexOf(s.code));
          expect(order).toEqual([...order].sort((a, b) => a - b));
          const sum = own.reduce((acc, s) => acc + s.delta, 0);
          expect(sum).toBe(own.at(-1)?.amount.amount ?? 0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
