import { describe, expect, it } from 'vitest';
import { VN_DEFAULT_CALENDAR } from '../../lambdas/core/calendar.ts';
import {
  calendarIssues,
  LEGAL_MAX_PAYMENT_DAYS,
  ProductConfigShape,
  productConfigIssues,
} from '../../lambdas/core/config-rules.ts';
import {
  DEFAULT_PRODUCTS,
  type DeadlineRule,
  type ProductConfig,
  ProductConfig as ProductSchema,
} from '../../lambdas/core/products.ts';

const motor = () => structuredClone(DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_OD')!) as ProductConfig;
const issuesOf = (c: ProductConfig, pathCode = c.code) => productConfigIssues(pathCode, c);
const codes = (c: ProductConfig, pathCode = c.code) =>
  issuesOf(c, pathCode).map((i) => `${i.path}:${i.code}`);

const payment = (over: Partial<DeadlineRule> = {}): DeadlineRule => ({
  kind: 'payment',
  from: 'dossier_complete',
  amount: 15,
  unit: 'calendar_days',
  basis: 'Art. 31',
  ...over,
});
const withPayment = (c: ProductConfig, rule: DeadlineRule) => ({
  ...c,
  deadlines: [...c.deadlines.filter((d) => d.kind !== 'payment'), rule],
});

describe('product configuration rules', () => {
  it.each(DEFAULT_PRODUCTS.map((p) => [p.code, p] as const))('accepts the shipped %s', (_code, p) => {
    expect(ProductConfigShape.safeParse(p).success).toBe(true);
    expect(issuesOf(p)).toEqual([]);
  });

  it('keeps the schema strict: unknown fields are refused, also inside the relaxed objects', () => {
    const r = ProductConfigShape.safeParse({
      ...motor(),
      extra: 1,
      jointDecision: { ...motor().jointDecision, x: 1 },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys', 'unrecognized_keys']);
  });

  it('refuses a body for another product than the path', () => {
    expect(codes(motor(), 'HEALTH')).toEqual(['code:code_mismatch']);
  });

  it('refuses moving a product to another line', () => {
    expect(codes({ ...motor(), line: 'health' })).toEqual(['line:line_changed']);
  });

  it('requires increasing severity bands, starting above zero', () => {
    expect(codes({ ...motor(), severityBands: { low: 50, medium: 50, high: 40 } })).toEqual([
      'severityBands.medium:not_increasing',
      'severityBands.high:not_increasing',
    ]);
    expect(codes({ ...motor(), severityBands: { low: 0, medium: 1, high: 2 } })).toEqual([
      'severityBands.low:too_small',
    ]);
  });

  it('parses bands and quorum that break the schema refinements, so the rules can name the field', () => {
    const c = {
      ...motor(),
      jointDecision: { threshold: 500_000_000, departments: ['claims', 'finance'], quorum: 3 },
    };
    expect(ProductSchema.safeParse(c).success).toBe(false);
    const shaped = ProductConfigShape.safeParse(c);
    expect(shaped.success).toBe(true);
    expect(productConfigIssues('MOTOR_OD', shaped.data!).map((i) => i.path)).toEqual([
      'jointDecision.quorum',
    ]);
  });

  it('refuses a quorum larger than the distinct departments', () => {
    const c = motor();
    c.jointDecision = { threshold: 500_000_000, departments: ['claims', 'finance', 'finance'], quorum: 3 };
    expect(codes(c)).toEqual([
      'jointDecision.departments.2:duplicate',
      'jointDecision.quorum:quorum_exceeds_departments',
    ]);
    c.jointDecision.departments = ['claims', 'finance', 'legal'];
    expect(codes(c)).toEqual([]);
  });

  it('keeps straight-through processing at or below the joint-decision threshold', () => {
    const c = { ...motor(), approvalControls: { singleAssessorMax: motor().jointDecision.threshold } };
    expect(codes({ ...c, straightThroughMax: c.jointDecision.threshold })).toEqual([]);
    expect(codes({ ...c, straightThroughMax: c.jointDecision.threshold + 1 })).toEqual([
      'straightThroughMax:exceeds_joint_threshold',
    ]);
  });

  it('keeps straight-through processing within what one assessor may approve alone: nobody approves it', () => {
    const c = motor();
    expect(codes({ ...c, straightThroughMax: 100_000_000 })).toEqual([]);
    expect(codes({ ...c, straightThroughMax: 100_000_001 })).toEqual([
      'straightThroughMax:exceeds_single_assessor',
    ]);
  });

  it('keeps what the law sets for a compulsory product, and the customer’s own time', () => {
    const tpl = structuredClone(DEFAULT_PRODUCTS.find((p) => p.code === 'MOTOR_TPL')!) as ProductConfig;
    const legal = tpl.deadlines.findIndex((d) => /Decree/.test(d.basis) && d.kind !== 'payment');
    expect(legal).toBeGreaterThanOrEqual(0);
    expect(codes({ ...tpl, compulsory: false })).toEqual(['compulsory:compulsory_fixed']);
    expect(codes({ ...tpl, deadlines: tpl.deadlines.filter((_, i) => i !== legal) })).toEqual([
      'deadlines:legal_deadline_required',
    ]);
    const stretched = tpl.deadlines.map((d, i) => (i === legal ? { ...d, amount: d.amount + 60 } : d));
    expect(codes({ ...tpl, deadlines: stretched })).toEqual([
      `deadlines.${legal}.amount:exceeds_statutory_deadline`,
    ]);
    const lapse = tpl.deadlines.findIndex((d) => d.kind === 'no_response_close');
    if (lapse >= 0) {
      const hour = tpl.deadlines.map((d, i) =>
        i === lapse ? { ...d, amount: 1, unit: 'hours' as const } : d,
      );
      expect(codes({ ...tpl, deadlines: hour })).toEqual([`deadlines.${lapse}.amount:below_minimum`]);
    }
  });

  it('does not let the customer’s time be recounted in working days, which compare only on a calendar', () => {
    const od = motor();
    const lapse = od.deadlines.findIndex((d) => d.kind === 'no_response_close');
    expect(lapse).toBeGreaterThanOrEqual(0);
    const one = od.deadlines.map((d, i) =>
      i === lapse ? { ...d, amount: 1, unit: 'working_days' as const } : d,
    );
    expect(codes({ ...od, deadlines: one })).toEqual([`deadlines.${lapse}.unit:unit_changed`]);
    const appeal = {
      kind: 'appeal_window' as const,
      from: 'rejected' as const,
      amount: 1,
      unit: 'working_days' as const,
      basis: 'x',
    };
    expect(codes({ ...od, deadlines: [...od.deadlines, appeal] })).toEqual([
      `deadlines.${od.deadlines.length}.unit:unit_changed`,
    ]);
  });

  it('keeps a calendar with room for work: at most two weekend days, at most 30 holidays a year', () => {
    expect(calendarIssues(VN_DEFAULT_CALENDAR)).toEqual([]);
    const codesOf = (cal: typeof VN_DEFAULT_CALENDAR) =>
      calendarIssues(cal).map((i) => `${i.path}:${i.code}`);
    expect(codesOf({ ...VN_DEFAULT_CALENDAR, weekend: [0, 1, 2, 3, 4, 6] })).toContain(
      'weekend:too_many_weekend_days',
    );
    const many = Array.from(
      { length: 40 },
      (_, i) => `2031-0${1 + Math.floor(i / 28)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    );
    expect(
      codesOf({ ...VN_DEFAULT_CALENDAR, holidays: [...VN_DEFAULT_CALENDAR.holidays, ...many] }),
    ).toContain('holidays:too_many_holidays');
  });

  it('allows each deadline kind once per anchor', () => {
    const c = motor();
    const reminder = c.deadlines.find((d) => d.kind === 'documents_reminder' && d.from === 'submitted')!;
    const index = c.deadlines.length;
    expect(codes({ ...c, deadlines: [...c.deadlines, { ...reminder, amount: 3 }] })).toEqual([
      `deadlines.${index}.kind:duplicate_deadline`,
    ]);
    // The same kind from another anchor is a different clock.
    expect(codes({ ...c, deadlines: [...c.deadlines, { ...reminder, from: 'dossier_complete' }] })).toEqual(
      [],
    );
  });

  describe('payment deadline (Law 08/2022/QH15 Art. 31)', () => {
    const last = motor().deadlines.length - 1;

    it(`accepts up to ${LEGAL_MAX_PAYMENT_DAYS} calendar days, or the same in hours`, () => {
      expect(codes(withPayment(motor(), payment({ amount: 10 })))).toEqual([]);
      expect(codes(withPayment(motor(), payment({ amount: 15 })))).toEqual([]);
      expect(codes(withPayment(motor(), payment({ amount: 360, unit: 'hours' })))).toEqual([]);
    });

    it('refuses longer than the legal maximum', () => {
      expect(codes(withPayment(motor(), payment({ amount: 16 })))).toEqual([
        `deadlines.${last}.amount:exceeds_legal_maximum`,
      ]);
      expect(codes(withPayment(motor(), payment({ amount: 20 })))).toEqual([
        `deadlines.${last}.amount:exceeds_legal_maximum`,
      ]);
      expect(codes(withPayment(motor(), payment({ amount: 361, unit: 'hours' })))).toEqual([
        `deadlines.${last}.amount:exceeds_legal_maximum`,
      ]);
    });

    it('refuses working days, whose calendar length depends on the holidays', () => {
      expect(codes(withPayment(motor(), payment({ amount: 5, unit: 'working_days' })))).toEqual([
        `deadlines.${last}.unit:unit_not_allowed`,
      ]);
    });

    it('requires a payment deadline from the complete dossier', () => {
      const c = motor();
      expect(codes({ ...c, deadlines: c.deadlines.filter((d) => d.kind !== 'payment') })).toEqual([
        'deadlines:payment_deadline_required',
      ]);
      expect(codes(withPayment(c, payment({ from: 'submitted', amount: 10 })))).toEqual([
        'deadlines:payment_deadline_required',
      ]);
    });

    it('caps a payment deadline from another anchor too', () => {
      const c = motor();
      const extra = { ...c, deadlines: [...c.deadlines, payment({ from: 'submitted', amount: 30 })] };
      expect(codes(extra)).toEqual([`deadlines.${c.deadlines.length}.amount:exceeds_legal_maximum`]);
    });
  });

  it('requires the claim letter, unconditionally', () => {
    const c = motor();
    const without = c.documentChecklist.filter((d) => d.type !== 'claim_letter');
    expect(codes({ ...c, documentChecklist: without })).toEqual(['documentChecklist:claim_letter_required']);
    expect(
      codes({ ...c, documentChecklist: [{ type: 'claim_letter', required: false }, ...without] }),
    ).toEqual(['documentChecklist:claim_letter_required']);
    expect(
      codes({
        ...c,
        documentChecklist: [
          { type: 'claim_letter', required: true, requiredWhen: 'police_attended' },
          ...without,
        ],
      }),
    ).toEqual(['documentChecklist:claim_letter_required']);
  });

  it('lists each document and cause once', () => {
    const c = motor();
    const n = c.documentChecklist.length;
    expect(
      codes({
        ...c,
        documentChecklist: [...c.documentChecklist, { type: 'damage_photos', required: false }],
      }),
    ).toEqual([`documentChecklist.${n}.type:duplicate`]);
    expect(codes({ ...c, coveredCauses: [...c.coveredCauses, 'theft'] })).toEqual([
      `coveredCauses.${c.coveredCauses.length}:duplicate`,
    ]);
  });

  it('only sets reserve overrides for covered causes', () => {
    const c = motor();
    expect(codes({ ...c, reserve: { ...c.reserve, byCauseBps: { illness: 10_000 } } })).toEqual([
      'reserve.byCauseBps.illness:cause_not_covered',
    ]);
  });

  it('keeps checklist cause rules to covered causes, and the claim letter for every cause', () => {
    const c = motor();
    const n = c.documentChecklist.findIndex((d) => d.type === 'damage_photos');
    const checklist = c.documentChecklist.map((d, i) =>
      i === n ? { ...d, exceptCauses: ['illness' as const] } : d,
    );
    expect(codes({ ...c, documentChecklist: checklist })).toEqual([
      `documentChecklist.${n}.exceptCauses.0:cause_not_covered`,
    ]);
    const letterless = c.documentChecklist.map((d) =>
      d.type === 'claim_letter' ? { ...d, exceptCauses: ['theft' as const] } : d,
    );
    expect(codes({ ...c, documentChecklist: letterless })).toEqual([
      'documentChecklist:claim_letter_required',
    ]);
  });

  it('reports every broken rule at once', () => {
    const c = withPayment({ ...motor(), straightThroughMax: 900_000_000 }, payment({ amount: 20 }));
    c.jointDecision = { ...c.jointDecision, quorum: 4 };
    expect(codes(c).sort()).toEqual(
      [
        'jointDecision.quorum:quorum_exceeds_departments',
        'straightThroughMax:exceeds_joint_threshold',
        `deadlines.${c.deadlines.length - 1}.amount:exceeds_legal_maximum`,
      ].sort(),
    );
  });
});

describe('holiday calendar rules', () => {
  it('accepts the shipped calendar', () => {
    expect(calendarIssues(VN_DEFAULT_CALENDAR)).toEqual([]);
  });

  it('refuses a make-up working day that is not a weekend day or is also a holiday', () => {
    const cal = { weekend: [0, 6], holidays: ['2026-05-02'], workingWeekends: ['2026-05-04', '2026-05-02'] };
    expect(calendarIssues(cal).map((i) => `${i.path}:${i.code}`)).toEqual([
      'workingWeekends.0:not_a_weekend_day',
      'workingWeekends.1:also_a_holiday',
    ]);
  });

  it('refuses a holiday listed twice', () => {
    const cal = { weekend: [0, 6], holidays: ['2026-01-01', '2026-01-01'], workingWeekends: [] };
    expect(calendarIssues(cal).map((i) => `${i.path}:${i.code}`)).toEqual(['holidays.1:duplicate']);
  });
});

describe('holiday calendar: runs of days off', () => {
  const days = (from: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    );

  it('refuses 30 holidays in December and 30 in January: a 3-working-day deadline from 1 December would fall in February', () => {
    const cal = {
      weekend: [0, 6],
      holidays: [...days('2026-12-02', 30), ...days('2027-01-01', 30)],
      workingWeekends: [],
    };
    const issues = calendarIssues(cal);
    expect(issues.map((i) => `${i.path}:${i.code}`)).toEqual(['holidays.0:too_many_days_off_in_a_row']);
    expect(issues[0]?.message).toContain('2026-12-02 to 2027-01-31');
  });

  it('accepts Tết as long as it runs with its weekends (nine days), refuses one day beyond ten', () => {
    // Tết 2025: Saturday 25 January to Sunday 2 February, five days off and a swapped bridging day.
    const tet = { weekend: [0, 6], holidays: days('2025-01-27', 5), workingWeekends: [] };
    expect(calendarIssues(tet)).toEqual([]);
    // Ten days off (Friday 24 January added): still allowed.
    expect(calendarIssues({ ...tet, holidays: [...tet.holidays, '2025-01-24'] })).toEqual([]);
    // Eleven (Thursday 23 January too): a run no Vietnamese holiday has.
    const eleven = { ...tet, holidays: ['2025-01-23', '2025-01-24', ...tet.holidays] };
    expect(calendarIssues(eleven).map((i) => `${i.path}:${i.code}`)).toEqual([
      'holidays.0:too_many_days_off_in_a_row',
    ]);
    // A make-up working Saturday breaks the run.
    expect(calendarIssues({ ...eleven, workingWeekends: ['2025-02-01'] })).toEqual([]);
  });
});
