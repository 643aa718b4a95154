import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/core/errors.ts';
import {
  type ClaimOnPolicy,
  calculatePayout,
  causeCeiling,
  PAYOUT_STEP_CODES,
  type PayoutInputIn,
  type PayoutResult,
  sumInsuredBoundsPeriod,
  sumInsuredPool,
  sumInsuredUsed,
} from '../../lambdas/core/payout.ts';
import { type Cover, Policy } from '../../lambdas/core/policy.ts';
import { demoPolicies } from '../../local/demo-data.ts';

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
    // Salvage first: 374,999,999 − 50,000,000 = 324,999,999, less floor(32,499,999.9) = 292,500,000.
    expect(partial.payable.amount).toBe(292_500_000);
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
      insuredValue: optional(fc.integer({ min: 1, max: 3_000_000_000 })),
      deductible: deductibleArb,
    }),
    // What other claims of the period took from the object cover's sum insured.
    odUsed: optional(amount(3_000_000_000)),
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
      ...(g.odUsed === undefined ? {} : { sumInsuredUsed: [{ coverCode: 'OD', amount: g.odUsed }] }),
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

// ---------------------------------------------------------------------------------------------
// Audit findings: what the contract says, with the numbers that were paid wrong.

/** The demo property policy PRO-2026-0001 (value 2.5B; BUILDING 2.0B, CONTENTS 500M, 1M deductible). */
const propertyPolicy = () => {
  const p = demoPolicies(new Date()).find((x) => x.policyNumber === 'PRO-2026-0001');
  return Policy.parse(p);
};

describe('calculatePayout — the average clause compares each cover with its own value', () => {
  it('pays a fully insured contents loss on the demo property policy in full, less the deductible', () => {
    const policy = propertyPolicy();
    const r = calculatePayout({
      items: [
        { description: 'Tủ lạnh, ti vi', coverCode: 'CONTENTS', assessedAmount: 100_000_000, kind: 'repair' },
      ],
      covers: policy.covers,
      marketValue: 500_000_000,
      insuredValue: policy.insuredValue,
    });
    // 500M insured of 500M contents: no average; 100M − 1M = 99M (it paid 19M against the 2.5B).
    expect(r.payable.amount).toBe(99_000_000);
    expect(step(r, 'average_clause', 'CONTENTS')).toMatchObject({
      applied: false,
      params: { value: 500_000_000, valueFrom: 'cover' },
    });
  });

  it('uses the market value, not the policy’s, for a cover without its own value on a policy of several', () => {
    const policy = propertyPolicy();
    const covers = policy.covers.map(({ insuredValue: _, ...c }) => c);
    const r = calculatePayout({
      items: [{ description: 'Tủ lạnh', coverCode: 'CONTENTS', assessedAmount: 100_000_000, kind: 'repair' }],
      covers,
      marketValue: 400_000_000,
      insuredValue: 2_500_000_000,
    });
    expect(step(r, 'average_clause', 'CONTENTS')).toMatchObject({
      applied: false,
      params: { value: 400_000_000, valueFrom: 'market' },
    });
    expect(r.payable.amount).toBe(99_000_000);
  });

  it('still uses the policy’s value on a one-cover policy, and the cover’s own over it', () => {
    const base = makeInput({
      covers: [makeCover({ sumInsured: 400_000_000, deductible: undefined })],
      items: [repair(100_000_000)],
      marketValue: 1_000_000_000,
      insuredValue: 800_000_000,
    });
    expect(calculatePayout(base).payable.amount).toBe(50_000_000);
    const own = calculatePayout({
      ...base,
      covers: [makeCover({ sumInsured: 400_000_000, insuredValue: 500_000_000, deductible: undefined })],
    });
    expect(own.payable.amount).toBe(80_000_000);
  });
});

describe('calculatePayout — salvage comes off the damage before the caps and the average clause', () => {
  const fire = (over: Partial<CoverIn> = {}) =>
    makeCover({ code: 'FIRE', sumInsured: 500_000_000, deductible: undefined, ...over });

  it('100M repair, 500M insured of 1,000M, 10M salvage: (100 − 10) × 0.5 = 45M', () => {
    const r = calculatePayout({
      items: [repair(100_000_000, 'FIRE')],
      covers: [fire()],
      marketValue: 1_000_000_000,
      insuredValue: 1_000_000_000,
      salvage: 10_000_000,
    });
    expect(r.payable.amount).toBe(45_000_000);
    expect(step(r, 'salvage', 'FIRE')).toMatchObject({
      applied: true,
      delta: -10_000_000,
      amount: { amount: 90_000_000 },
    });
    const own = r.steps.filter((s) => s.coverCode === 'FIRE').map((s) => s.code);
    expect(own.indexOf('salvage')).toBeLessThan(own.indexOf('average_clause'));
    expect(step(r, 'salvage', 'FIRE').label).toEqual({ vi: 'Giá trị thu hồi tài sản', en: 'Salvage' });
  });

  it('150M loss, 100M sub-limit, 800M insured of 1,000M, 20M salvage: min(130 × 0.8, 100) = 100M', () => {
    const r = calculatePayout({
      items: [repair(150_000_000, 'FIRE')],
      covers: [fire({ sumInsured: 800_000_000, subLimit: 100_000_000 })],
      marketValue: 1_000_000_000,
      insuredValue: 1_000_000_000,
      salvage: 20_000_000,
    });
    expect(step(r, 'average_clause', 'FIRE').amount.amount).toBe(104_000_000);
    expect(r.payable.amount).toBe(100_000_000);
  });

  it('takes no more salvage than the object damage (towing on the same cover is not salvage)', () => {
    const r = calculatePayout({
      items: [
        repair(5_000_000, 'FIRE'),
        { description: 'Cẩu kéo', coverCode: 'FIRE', assessedAmount: 2_000_000, kind: 'other' },
      ],
      covers: [fire({ sumInsured: 1_000_000_000 })],
      marketValue: 1_000_000_000,
      salvage: 8_000_000,
    });
    expect(step(r, 'salvage', 'FIRE')).toMatchObject({ delta: -5_000_000, params: { deducted: 5_000_000 } });
    expect(r.payable.amount).toBe(2_000_000);
  });
});

describe('calculatePayout — the sum insured bounds every claim of the period together', () => {
  // Demo HLT-2026-0001 INPATIENT: 200M sum insured, 100M a claim.
  const inpatient = makeCover({
    code: 'INPATIENT',
    causes: ['illness'],
    sumInsured: 200_000_000,
    subLimit: 100_000_000,
    deductible: undefined,
  });
  const stay = (used?: number) =>
    calculatePayout({
      items: [
        { description: 'Nằm viện', coverCode: 'INPATIENT', assessedAmount: 100_000_000, kind: 'medical' },
      ],
      covers: [inpatient],
      ...(used === undefined ? {} : { sumInsuredUsed: [{ coverCode: 'INPATIENT', amount: used }] }),
    });

  it('pays the third 100M stay nothing once two took the 200M, and shows why', () => {
    expect(stay().payable.amount).toBe(100_000_000);
    expect(stay(100_000_000).payable.amount).toBe(100_000_000);
    const third = stay(200_000_000);
    expect(third.payable.amount).toBe(0);
    expect(step(third, 'sum_insured_remaining', 'INPATIENT')).toMatchObject({
      applied: true,
      delta: -100_000_000,
      params: { sumInsured: 200_000_000, used: 200_000_000, remaining: 0 },
    });
    expect(third.perCover[0]?.limit.amount).toBe(0);
  });

  it('pays what is left, never below zero, and adds no line when nothing was taken', () => {
    expect(stay(150_000_000).payable.amount).toBe(50_000_000);
    expect(stay(900_000_000).payable.amount).toBe(0);
    expect(stay().steps.some((s) => s.code === 'sum_insured_remaining')).toBe(false);
  });

  it('refuses a used amount on a cover the policy does not have', () => {
    expect(() =>
      calculatePayout({
        items: [repair(1_000_000)],
        covers: [makeCover()],
        marketValue: 800_000_000,
        sumInsuredUsed: [{ coverCode: 'NOPE', amount: 1 }],
      }),
    ).toThrow(ValidationError);
  });

  it('caps what may be advanced for a cause by what is left', () => {
    expect(causeCeiling([inpatient], 'illness')).toBe(100_000_000);
    expect(causeCeiling([inpatient], 'illness', [{ coverCode: 'INPATIENT', amount: 150_000_000 }])).toBe(
      50_000_000,
    );
  });
});

describe('sumInsuredUsed', () => {
  const period = { from: '2026-01-01T00:00:00+07:00', to: '2026-12-31T23:59:59+07:00' };
  const payable = (coverCode: string, amount: number) => ({
    code: 'cover_payable',
    coverCode,
    amount: { amount, currency: 'VND' },
  });
  const other = (over: Partial<ClaimOnPolicy> & { lossAt?: string }): ClaimOnPolicy => {
    const { lossAt = '2026-06-01T10:00:00+07:00', ...rest } = over;
    return {
      claimId: 'other',
      status: 'ASSESSED',
      report: { lossAt },
      assessment: {
        input: {},
        payable: { amount: 100_000_000, currency: 'VND' },
        totalLoss: false,
        steps: [payable('INPATIENT', 100_000_000), { code: 'payable', coverCode: null }],
        recordedAt: '2026-06-02T00:00:00Z',
        recordedBy: { id: 'x', role: 'adjuster' },
        method: 'adjuster',
      },
      ...rest,
    };
  };
  const decided = (outcome: 'approve' | 'partial' | 'reject', amount: number) => ({
    outcome,
    amount: { amount, currency: 'VND' as const },
    reasons: [],
    decidedAt: '2026-06-03T00:00:00Z',
    decidedBy: { id: 'y', role: 'adjuster' },
  });

  it('counts assessed and decided claims of the period, the decided ones at most their decision', () => {
    const used = sumInsuredUsed(
      [
        other({ claimId: 'a' }),
        other({ claimId: 'b', status: 'PAID', decision: decided('approve', 100_000_000) }),
        other({ claimId: 'c', status: 'PARTIALLY_APPROVED', decision: decided('partial', 30_000_000) }),
      ],
      period,
      'me',
    );
    expect(used).toEqual([{ coverCode: 'INPATIENT', amount: 230_000_000 }]);
  });

  it('leaves out itself, rejected and unpaid closed claims, unassessed ones and other periods', () => {
    const used = sumInsuredUsed(
      [
        other({ claimId: 'me' }),
        other({ claimId: 'r', status: 'REJECTED', decision: decided('reject', 0) }),
        other({ claimId: 'rc', status: 'CLOSED', decision: decided('reject', 0) }),
        other({ claimId: 'n', status: 'CLOSED_NO_RESPONSE' }),
        other({ claimId: 'w', status: 'CLOSED' }),
        other({ claimId: 'u', status: 'UNDER_ASSESSMENT', assessment: undefined }),
        other({ claimId: 'old', lossAt: '2025-12-31T23:00:00+07:00' }),
      ],
      period,
      'me',
    );
    expect(used).toEqual([]);
  });

  it('on motor own damage counts only a total loss: a repaired vehicle is insured again at its value', () => {
    const od = (claimId: string, totalLoss: boolean, amount: number) => {
      const c = other({ claimId, status: 'PAID', decision: decided('approve', amount) });
      return {
        ...c,
        assessment: {
          ...c.assessment!,
          totalLoss,
          steps: [{ code: 'total_loss', coverCode: 'OD', applied: totalLoss }, payable('OD', amount)],
        },
      };
    };
    const partial = od('repair', false, 88_200_000);
    const total = od('wreck', true, 600_000_000);
    expect(sumInsuredUsed([partial], period, 'me', undefined, 'MOTOR_OD')).toEqual([]);
    expect(sumInsuredUsed([partial, total], period, 'me', undefined, 'MOTOR_OD')).toEqual([
      { coverCode: 'OD', amount: 600_000_000 },
    ]);
    // Any other product's partial losses use the sum insured up.
    expect(sumInsuredUsed([partial], period, 'me', undefined, 'PROPERTY_FIRE')).toEqual([
      { coverCode: 'OD', amount: 88_200_000 },
    ]);
  });

  it('applies to every product but compulsory motor TPL, whose limits are per accident', () => {
    expect(['MOTOR_OD', 'PROPERTY_FIRE', 'HEALTH', 'TRAVEL'].every(sumInsuredBoundsPeriod)).toBe(true);
    expect(sumInsuredBoundsPeriod('MOTOR_TPL')).toBe(false);
  });

  describe('per insured person', () => {
    const family = ['Nguyễn Văn An', 'Trần Thị Bình'];
    const health = (patientName: string) => ({ kind: 'health', patientName });
    const forPerson = (claimId: string, patientName: string) =>
      other({
        claimId,
        status: 'PAID',
        decision: decided('approve', 100_000_000),
        report: { lossAt: '2026-06-01T10:00:00+07:00', facts: health(patientName) },
      });

    it('on a family policy counts only the claims for the same person, the name matched without case or marks', () => {
      const claims = [forPerson('a1', 'Nguyễn Văn An'), forPerson('a2', 'NGUYEN VAN AN')];
      expect(
        sumInsuredUsed(claims, period, 'me', { insuredPersons: family, facts: health('trần thị bình') }),
      ).toEqual([]);
      expect(
        sumInsuredUsed(claims, period, 'me', { insuredPersons: family, facts: health('Nguyen  Van An') }),
      ).toEqual([{ coverCode: 'INPATIENT', amount: 200_000_000 }]);
    });

    it('counts a claim naming no listed person against everyone, and a patient not on the policy against every claim', () => {
      const claims = [forPerson('a', 'Nguyễn Văn An'), forPerson('x', 'Lê Văn Cường')];
      expect(
        sumInsuredUsed(claims, period, 'me', { insuredPersons: family, facts: health('Trần Thị Bình') }),
      ).toEqual([{ coverCode: 'INPATIENT', amount: 100_000_000 }]);
      expect(sumInsuredUsed(claims, period, 'me', { insuredPersons: family, facts: health('Bình') })).toEqual(
        [{ coverCode: 'INPATIENT', amount: 200_000_000 }],
      );
    });

    it('keeps one pool on a policy listing one person or none', () => {
      const claims = [forPerson('a', 'Nguyễn Văn An')];
      for (const insuredPersons of [undefined, [], ['Trần Thị Bình']])
        expect(
          sumInsuredUsed(claims, period, 'me', { insuredPersons, facts: health('Trần Thị Bình') }),
        ).toEqual([{ coverCode: 'INPATIENT', amount: 100_000_000 }]);
    });

    it('leaves a travel claim on a policy of several persons out of the cap, its facts naming nobody', () => {
      const trip = { kind: 'travel' };
      const claims = [other({ claimId: 't', report: { lossAt: '2026-06-01T10:00:00+07:00', facts: trip } })];
      expect(sumInsuredUsed(claims, period, 'me', { insuredPersons: family, facts: trip })).toEqual([]);
      expect(
        sumInsuredUsed(claims, period, 'me', { insuredPersons: ['Nguyễn Văn An'], facts: trip }),
      ).toEqual([{ coverCode: 'INPATIENT', amount: 100_000_000 }]);
    });

    it('names the pool: the policy, a listed person (normalised), or none', () => {
      expect(sumInsuredPool(['Nguyễn Văn An'], health('X'))).toEqual({ kind: 'policy' });
      expect(sumInsuredPool(family, health(' nguyễn văn an '))).toEqual({
        kind: 'person',
        person: 'NGUYEN VAN AN',
      });
      expect(sumInsuredPool(family, { kind: 'travel' })).toEqual({ kind: 'unnamed' });
    });
  });

  it('counts a claim reopened by an appeal on its assessment, and a paid then closed one', () => {
    const used = sumInsuredUsed(
      [
        other({ claimId: 'appealed', status: 'UNDER_ASSESSMENT' }),
        other({ claimId: 'closed', status: 'CLOSED', decision: decided('approve', 100_000_000) }),
      ],
      period,
      'me',
    );
    expect(used).toEqual([{ coverCode: 'INPATIENT', amount: 200_000_000 }]);
  });
});
