import * as z from 'zod/mini';
import type { Claim } from './claim.ts';
import { defineSchema } from './define-schema.ts';
import { ValidationError } from './errors.ts';
import { MAX_AMOUNT, type Money, vnd } from './money.ts';
import { normalizeName } from './names.ts';
import { Cover } from './policy.ts';

/**
 * The contract's payout maths for one claim, with every step a person needs to follow it.
 *
 * Scope: one calculation covers ONE insured object (a vehicle, a building, its contents…) with one
 * market value. Object damage (`repair` / `replacement` items) must therefore sit on a single cover
 * (the "object cover"); other covers of the same policy (e.g. driver and passenger accident) may
 * carry `medical` / `other` items and go through the same limits, deductible and reductions but not
 * the market-value, total-loss, average-clause or salvage rules, which only make sense for an object
 * with a value. Two insured objects → two calculations.
 *
 * Legal basis (Law on Insurance Business 08/2022/QH15; article numbers as given in our legal brief,
 * to be confirmed by counsel):
 * - Indemnity principle (Art. 51): compensation never exceeds the market value of the property at
 *   the time and place of the loss, nor the sum insured.
 * - Under-insurance (Art. 48): if the sum insured is below the value of the property, the insurer
 *   pays the loss in the ratio of the sum insured to that value ("average clause").
 * - The insurer also pays the necessary, reasonable costs of preventing and minimising the loss,
 *   and these are paid in addition to the indemnity (see {@link calculatePayout}, step `mitigation`).
 *
 * Rounding, everywhere: every percentage is applied to compute the amount TAKEN OFF (depreciation,
 * the average-clause shortfall, a percentage deductible, a contractual reduction) and that amount is
 * rounded DOWN to whole đồng (`floor`). Rounding therefore always favours the insured, by less than
 * one đồng per step, and every running amount stays an integer. Products of two amounts use BigInt
 * so nothing is lost above 2^53.
 */

const Amount = /* @__PURE__ */ defineSchema(() => z.int().check(z.gte(0), z.lte(MAX_AMOUNT)));
const Bps = /* @__PURE__ */ defineSchema(() => z.int().check(z.gte(0), z.lte(10_000)));

export const LOSS_ITEM_KINDS = ['repair', 'replacement', 'medical', 'other'] as const;
export type LossItemKind = (typeof LOSS_ITEM_KINDS)[number];

/** Kinds that are damage to the insured object itself (count towards total loss, capped at its value). */
const OBJECT_DAMAGE_KINDS: ReadonlySet<LossItemKind> = new Set(['repair', 'replacement']);

export const LossItem = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    description: z.string().check(z.trim(), z.minLength(1), z.maxLength(300)),
    coverCode: z.string().check(z.minLength(1), z.maxLength(40)),
    /** Repair or replacement cost as assessed (VND, before depreciation). */
    assessedAmount: Amount,
    kind: z.enum(LOSS_ITEM_KINDS),
    /** Completed years of age of the part replaced; only read for `replacement`; absent = no depreciation. */
    partAgeYears: z.optional(z.int().check(z.gte(0), z.lte(100))),
  }),
);
export type LossItem = z.infer<typeof LossItem>;

export const REDUCTION_CODES = ['late_notice', 'unapproved_repair', 'other'] as const;
export type ReductionCode = (typeof REDUCTION_CODES)[number];

export const Reduction = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({ code: z.enum(REDUCTION_CODES), bps: Bps }),
);
export type Reduction = z.infer<typeof Reduction>;

export const Depreciation = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** Depreciation per completed year of a replaced part's age, in basis points. */
    bpsPerYear: Bps,
    /** Ceiling on the depreciation of any one part, in basis points. */
    maxBps: Bps,
    /** True when the policyholder bought the "no depreciation on new parts" add-on. */
    waived: z._default(z.boolean(), false),
  }),
);
export type Depreciation = z.infer<typeof Depreciation>;

/** Everything the calculation needs; parse with this schema (or call {@link calculatePayout}, which does). */
export const PayoutInput = /* @__PURE__ */ defineSchema(() =>
  z
    .strictObject({
      items: z.array(LossItem).check(z.minLength(1), z.maxLength(500)),
      /** The policy's covers (only those named by an item are used). */
      covers: z.array(Cover).check(z.minLength(1), z.maxLength(50)),
      /** Market value of the insured object at the time and place of the loss. Required with object damage. */
      marketValue: z.optional(Amount),
      /**
       * Value of everything the policy insures when the contract was concluded
       * (`Policy.insuredValue`). The average clause compares a cover's sum insured with the cover's
       * own `insuredValue`; this policy-level value stands in for it only when `covers` holds one
       * cover (see {@link calculatePayout}, step e). Falls back to `marketValue` when absent.
       */
      insuredValue: z.optional(Amount),
      /**
       * What other claims in the same policy period already took from a cover's sum insured
       * (see {@link sumInsuredUsed}); a cover listed here pays at most what is left of it.
       */
      sumInsuredUsed: z.optional(
        z
          .array(
            z.strictObject({
              coverCode: z.string().check(z.minLength(1), z.maxLength(40)),
              amount: Amount,
            }),
          )
          .check(z.maxLength(50)),
      ),
      depreciation: z._default(Depreciation, { bpsPerYear: 0, maxBps: 0, waived: false }),
      /** Salvage: what the damaged object or its parts are worth and is recovered/kept by the insurer. */
      salvage: z._default(Amount, 0),
      /** Necessary and reasonable costs of preventing and minimising the loss (paid on top). */
      mitigationCosts: z._default(Amount, 0),
      /** Contractual reductions for breaches; only the highest one applies. */
      reductions: z._default(z.array(Reduction).check(z.maxLength(20)), []),
      /** Object damage at or above this share of market value is a (constructive) total loss. */
      totalLossThresholdBps: z._default(z.int().check(z.gte(1), z.lte(10_000)), 7_500),
    })
    .check(
      z.superRefine((input, ctx) => {
        const codes = new Set<string>();
        input.covers.forEach((c, i) => {
          if (codes.has(c.code))
            ctx.addIssue({ code: 'custom', path: ['covers', i, 'code'], message: 'duplicate_cover' });
          codes.add(c.code);
        });
        const objectCovers = new Set<string>();
        input.items.forEach((item, i) => {
          if (!codes.has(item.coverCode)) {
            ctx.addIssue({ code: 'custom', path: ['items', i, 'coverCode'], message: 'unknown_cover' });
          }
          if (OBJECT_DAMAGE_KINDS.has(item.kind)) objectCovers.add(item.coverCode);
        });
        if (objectCovers.size > 1) {
          ctx.addIssue({ code: 'custom', path: ['items'], message: 'object_damage_on_several_covers' });
        }
        if (objectCovers.size > 0 && !input.marketValue) {
          ctx.addIssue({ code: 'custom', path: ['marketValue'], message: 'market_value_required' });
        }
        const used = new Set<string>();
        input.sumInsuredUsed?.forEach((u, i) => {
          if (!codes.has(u.coverCode) || used.has(u.coverCode))
            ctx.addIssue({
              code: 'custom',
              path: ['sumInsuredUsed', i, 'coverCode'],
              message: 'unknown_cover',
            });
          used.add(u.coverCode);
        });
        if (objectCovers.size === 0 && input.salvage > 0) {
          ctx.addIssue({ code: 'custom', path: ['salvage'], message: 'salvage_without_object_damage' });
        }
        const assessed = input.items.reduce((s, i) => s + i.assessedAmount, 0);
        if (assessed + (input.marketValue ?? 0) + input.mitigationCosts > MAX_AMOUNT) {
          ctx.addIssue({ code: 'custom', path: ['items'], message: 'amounts_too_large' });
        }
      }),
    ),
);
export type PayoutInput = z.infer<typeof PayoutInput>;
export type PayoutInputIn = z.input<typeof PayoutInput>;

export const PAYOUT_STEP_CODES = [
  'assessed',
  'depreciation',
  'total_loss',
  'salvage',
  'market_value_cap',
  'average_clause',
  'sum_insured_cap',
  'sub_limit',
  'deductible',
  'reduction',
  'sum_insured_remaining',
  'cover_payable',
  'mitigation',
  'payable',
] as const;
export type PayoutStepCode = (typeof PAYOUT_STEP_CODES)[number];

type Text = { vi: string; en: string };

/** One line of the calculation as shown to the customer, the adjuster and the approver. */
export interface PayoutStep {
  code: PayoutStepCode;
  /** The cover this line belongs to; `null` for claim-level lines (mitigation, total). */
  coverCode: string | null;
  /** The cover's name as the policy words it, for people (absent on claim-level lines and older records). */
  coverName?: Text;
  label: Text;
  /** The running amount after this step (for `mitigation`, the running claim total including it). */
  amount: Money;
  /** Signed change this step made to the running amount (0 when it did not bite). */
  delta: number;
  /** Whether the rule changed or decided anything (a UI may hide lines that did not apply). */
  applied: boolean;
  detail: Text;
  /** Machine-readable inputs of the step, for audit and tests. */
  params: Record<string, number | string | boolean>;
}

export interface CoverPayout {
  coverCode: string;
  /** Sum of the assessed items on this cover, before depreciation. */
  assessed: Money;
  /** After depreciation on replaced parts. */
  afterDepreciation: Money;
  /** The most this cover can pay for the claim: the sum insured, or the sub-limit if lower. */
  limit: Money;
  payable: Money;
  totalLoss: boolean;
}

export interface PayoutResult {
  /** Total to pay: the covers' payables plus mitigation costs. */
  payable: Money;
  totalLoss: boolean;
  mitigation: Money;
  steps: PayoutStep[];
  perCover: CoverPayout[];
}

const LABELS: Record<PayoutStepCode, Text> = {
  assessed: { vi: 'Chi phí thiệt hại được giám định', en: 'Assessed cost of the loss' },
  depreciation: { vi: 'Khấu hao phụ tùng thay mới', en: 'Depreciation on replaced parts' },
  total_loss: { vi: 'Tổn thất toàn bộ', en: 'Total loss' },
  market_value_cap: {
    vi: 'Giới hạn giá thị trường tại thời điểm, nơi xảy ra tổn thất',
    en: 'Capped at market value at the time and place of loss',
  },
  average_clause: {
    vi: 'Bảo hiểm dưới giá trị (bồi thường theo tỷ lệ)',
    en: 'Under-insurance (average clause)',
  },
  sum_insured_cap: { vi: 'Giới hạn số tiền bảo hiểm', en: 'Capped at the sum insured' },
  sub_limit: { vi: 'Giới hạn phụ của quyền lợi', en: 'Cover sub-limit' },
  deductible: { vi: 'Mức khấu trừ', en: 'Deductible' },
  salvage: { vi: 'Giá trị thu hồi tài sản', en: 'Salvage' },
  reduction: { vi: 'Giảm trừ bồi thường theo hợp đồng', en: 'Contractual reduction' },
  sum_insured_remaining: {
    vi: 'Số tiền bảo hiểm còn lại sau các hồ sơ khác',
    en: 'Sum insured left after other claims',
  },
  cover_payable: { vi: 'Số tiền bồi thường theo quyền lợi', en: 'Payable under this cover' },
  mitigation: {
    vi: 'Chi phí hợp lý để ngăn ngừa, hạn chế tổn thất',
    en: 'Reasonable costs of preventing and minimising loss',
  },
  payable: { vi: 'Tổng số tiền bồi thường', en: 'Total payable' },
};

/** floor(a × num / den) for non-negative integers, exact beyond 2^53. */
function mulDivFloor(a: number, num: number, den: number): number {
  return Number((BigInt(a) * BigInt(num)) / BigInt(den));
}

const fmt = (n: number, locale: 'vi' | 'en'): string =>
  `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n)} ${locale === 'vi' ? '₫' : 'VND'}`;
const pct = (bps: number, locale: 'vi' | 'en'): string =>
  `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 }).format(bps / 100)}%`;
const both = (f: (l: 'vi' | 'en') => string): Text => ({ vi: f('vi'), en: f('en') });

/** Parses the input; zod issues become our coded {@link ValidationError}. */
function parseInput(raw: PayoutInputIn): PayoutInput {
  const parsed = PayoutInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    'The payout input is not valid',
  );
}

/**
 * The covers of a policy that answer a cause: a loss is assessed on these only (a maternity bill is
 * not paid from the inpatient cover because its limit is higher). A cover lists its causes.
 */
export function coversForCause<C extends { code: string; causes: readonly string[] }>(
  covers: readonly C[],
  cause: string,
): C[] {
  return covers.filter((c) => c.causes.includes(cause));
}

/** What other claims took from one cover's sum insured (see {@link sumInsuredUsed}). */
export interface CoverUsed {
  coverCode: string;
  amount: number;
}

/**
 * The most the contract can pay for one claim of a cause: each answering cover's per-claim limit
 * (its sub-limit, or the sum insured), and no more than what other claims left of its sum insured
 * (`used`, from {@link sumInsuredUsed}), added up. What is paid before the assessment (advances)
 * stays within it.
 */
export function causeCeiling(
  covers: readonly { code: string; causes: readonly string[]; sumInsured: number; subLimit?: number }[],
  cause: string,
  used: readonly CoverUsed[] = [],
): number {
  return coversForCause(covers, cause).reduce((sum, c) => {
    const taken = used.find((u) => u.coverCode === c.code)?.amount ?? 0;
    return sum + Math.min(c.sumInsured, c.subLimit ?? c.sumInsured, Math.max(0, c.sumInsured - taken));
  }, 0);
}

/**
 * Products whose cover limits hold for each accident, not for the policy period: compulsory motor
 * third-party liability (Decree 67/2023: the liability limits are per accident), so one accident's
 * claim does not use up the next one's. Every other product's sum insured bounds the period.
 */
const PER_ACCIDENT_LIMITS: ReadonlySet<string> = new Set(['MOTOR_TPL']);

/** Whether a product's sums insured bound all the claims of a policy period together ({@link sumInsuredUsed}). */
export const sumInsuredBoundsPeriod = (productCode: string): boolean => !PER_ACCIDENT_LIMITS.has(productCode);

/**
 * Products whose sum insured is reinstated once a partial loss is repaired: motor own damage, where
 * the repaired vehicle is insured again at its value for the rest of the period (Vietnamese motor
 * hull wordings), so only a total loss, after which there is no vehicle left to insure, uses up the
 * cover for the period's later claims.
 */
const REINSTATED_AFTER_PARTIAL_LOSS: ReadonlySet<string> = new Set(['MOTOR_OD']);

/** The covers a claim's assessment took as a total loss (its `total_loss` step applied). */
function totalLossCovers(steps: readonly unknown[]): Set<string> {
  const covers = new Set<string>();
  for (const raw of steps) {
    const s = raw as { code?: unknown; coverCode?: unknown; applied?: unknown };
    if (s.code === 'total_loss' && s.applied === true && typeof s.coverCode === 'string')
      covers.add(s.coverCode);
  }
  return covers;
}

/** What of a claim's facts names the insured person it is for (health: the patient). */
export type PersonFacts = { kind: string; patientName?: string };

/** What of another claim on the policy {@link sumInsuredUsed} reads. */
export type ClaimOnPolicy = Pick<Claim, 'claimId' | 'status' | 'decision' | 'assessment'> & {
  report: { lossAt: string; facts?: PersonFacts };
};

/**
 * Whose sum insured a claim draws on, on a policy listing several insured persons (a family or group
 * health or travel policy: in Vietnamese health and travel contracts the sum insured is per insured
 * person, so one person's stays do not use up another's):
 * - `policy`: the policy lists at most one person, so its pool is that person's (every claim counts);
 * - `person`: the claim's facts name a listed person (health: the patient, matched by
 *   {@link normalizeName}, as the policy lists names and no person id); the normalised name;
 * - `unnamed`: the facts name no listed person — a patient written otherwise than on the policy, or
 *   a line whose facts name nobody (travel).
 */
export type SumInsuredPool = { kind: 'policy' } | { kind: 'person'; person: string } | { kind: 'unnamed' };

/** The pool a claim with `facts` draws on, on a policy listing `insuredPersons` ({@link SumInsuredPool}). */
export function sumInsuredPool(
  insuredPersons: readonly string[] | undefined,
  facts: PersonFacts | undefined,
): SumInsuredPool {
  const listed = new Set((insuredPersons ?? []).map(normalizeName).filter((n) => n.length > 0));
  if (listed.size < 2) return { kind: 'policy' };
  const patient = facts?.patientName ? normalizeName(facts.patientName) : '';
  return listed.has(patient) ? { kind: 'person', person: patient } : { kind: 'unnamed' };
}

/** Statuses in which a claim pays nothing (rejected, or closed without a decision to pay). */
const PAYS_NOTHING: ReadonlySet<string> = new Set(['REJECTED', 'CLOSED_NO_RESPONSE']);

/** The `cover_payable` lines of a recorded assessment (steps are stored as recorded, untyped). */
function coverPayables(steps: readonly unknown[]): CoverUsed[] {
  return steps.flatMap((raw) => {
    const s = raw as { code?: unknown; coverCode?: unknown; amount?: { amount?: unknown } };
    return s.code === 'cover_payable' &&
      typeof s.coverCode === 'string' &&
      Number.isSafeInteger(s.amount?.amount)
      ? [{ coverCode: s.coverCode, amount: s.amount?.amount as number }]
      : [];
  });
}

/**
 * What the other claims of a policy period have taken from each cover's sum insured: a sum insured
 * is what the insurer pays at most for all the losses of the period, not for each claim (three
 * 100M hospital stays on a 200M inpatient cover pay 200M, not 300M). Not for a product whose limits
 * are per accident ({@link sumInsuredBoundsPeriod}): the caller does not ask.
 *
 * Counted, per cover, from each other claim whose loss falls in `period` (the policy period the
 * claim is assessed in; a renewal's claims are in another period and count nothing):
 * - a claim decided to pay (approved or partly approved, queued, paid, closed after payment): the
 *   cover's payable in its assessment, at most the amount decided (on a claim with several covers
 *   a partial decision is not split between them, so each counts up to the decided amount: the
 *   side that never pays twice);
 * - a claim assessed and not decided yet (assessed, awaiting approval, reopened by an appeal): its
 *   assessed payable. Counting it is the choice that never lets two claims each take the same
 *   remainder; if it is then rejected, what it held is free again for the next assessment;
 * - nothing for a rejected claim, one closed without a decision to pay, or one not assessed yet.
 * Mitigation costs are outside every sum insured and count nothing. Advances paid before an
 * assessment count once their claim is assessed (its payable includes them). On a product whose
 * cover is reinstated after a repair (motor own damage), a partial loss counts nothing: only a
 * claim taken as a total loss uses the cover up.
 *
 * Per insured person ({@link sumInsuredPool}), when `persons` gives the policy's insured persons and
 * the claim's facts: on a policy listing several, a claim for a listed person counts only the claims
 * for that person and those that name no listed person (they may be hers: the side that never pays
 * twice); a health claim whose patient matches no listed name counts every claim, as on a one-person
 * policy; a claim whose facts cannot name anyone (travel) counts nothing: capping it by the whole
 * family's claims would cut each person by the others', so only its own per-claim limits apply (as
 * for MOTOR_TPL, {@link sumInsuredBoundsPeriod}).
 *
 * Bound on the race: two assessments on the same policy recorded at the same moment each read the
 * other before it is written, and both may take the same remainder. The overrun is at most one
 * claim's per-claim limit, and it shows: each assessment records what it read (`sumInsuredUsed` in
 * its input, the `sum_insured_remaining` step), and assessing either claim again reads the other.
 * Nothing re-checks at the decision.
 */
export function sumInsuredUsed(
  claims: readonly ClaimOnPolicy[],
  period: { from: string; to: string },
  claimId: string,
  persons?: { insuredPersons: readonly string[] | undefined; facts: PersonFacts | undefined },
  /** The claim's product: on one whose cover is reinstated after a repair, only total losses count. */
  productCode?: string,
): CoverUsed[] {
  const onlyTotalLosses = productCode !== undefined && REINSTATED_AFTER_PARTIAL_LOSS.has(productCode);
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const own = sumInsuredPool(persons?.insuredPersons, persons?.facts);
  if (own.kind === 'unnamed' && persons?.facts?.kind !== 'health') return [];
  const sharesPool = (c: ClaimOnPolicy) => {
    if (own.kind !== 'person') return true;
    const theirs = sumInsuredPool(persons?.insuredPersons, c.report.facts);
    return theirs.kind !== 'person' || theirs.person === own.person;
  };
  const used = new Map<string, number>();
  for (const c of claims) {
    const lossAt = Date.parse(c.report.lossAt);
    if (c.claimId === claimId || !c.assessment || !(lossAt >= from && lossAt <= to)) continue;
    if (!sharesPool(c)) continue;
    const outcome = c.decision?.outcome;
    if (PAYS_NOTHING.has(c.status) || outcome === 'reject') continue;
    if (c.status === 'CLOSED' && outcome === undefined) continue;
    const decided = outcome === undefined ? undefined : c.decision?.amount.amount;
    const totalLosses = onlyTotalLosses ? totalLossCovers(c.assessment.steps) : undefined;
    for (const p of coverPayables(c.assessment.steps)) {
      if (totalLosses && !totalLosses.has(p.coverCode)) continue;
      const amount = decided === undefined ? p.amount : Math.min(p.amount, decided);
      used.set(p.coverCode, (used.get(p.coverCode) ?? 0) + amount);
    }
  }
  return [...used]
    .filter(([, amount]) => amount > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([coverCode, amount]) => ({ coverCode, amount: Math.min(amount, MAX_AMOUNT) }));
}

/**
 * The value at risk of what a cover insures, as the contract states it: the cover's own
 * `insuredValue`, or the policy's when the policy has this one cover (its value is then the value of
 * the one thing the cover insures); undefined otherwise (the average clause then compares with the
 * market value at the loss, see {@link calculatePayout} step e).
 */
export function coverValue(
  cover: Pick<Cover, 'insuredValue'>,
  covers: readonly unknown[],
  policyValue: number | undefined,
): number | undefined {
  return cover.insuredValue ?? (covers.length === 1 ? policyValue : undefined);
}

/**
 * Computes what the insurer pays for a claim and records every step.
 *
 * Order, per cover (the cover holding object damage runs every step; other covers skip the
 * object-only ones marked *):
 *  a. `assessed` — sum of the items; `depreciation` on `replacement` items: age × bpsPerYear capped
 *     at maxBps, unless the add-on waives it.
 *  b. `total_loss`* — if gross object damage (repair + replacement, before depreciation) ≥
 *     threshold × market value, the object loss becomes market value − salvage (the deductible is
 *     then waived when the cover says so).
 *  c. `salvage`* — on a partial loss, what the damaged parts are worth comes off the object damage
 *     here, before any cap, the average clause or the deductible, as it does on a total loss (in b):
 *     the insured's loss is the damage less what is recovered, and the contract's rules apply to
 *     that loss (100M repair, 10M salvage, half insured → (100 − 10) × 0.5 = 45M, not 100 × 0.5 − 10).
 *     Never more than the object damage.
 *  d. `market_value_cap`* — object loss never exceeds its market value (Art. 51).
 *  e. `average_clause`* — if sumInsured < value, pay loss × sumInsured / value (Art. 48). The
 *     value is that of what the cover insures: the cover's own `insuredValue`; for a cover without
 *     one, the policy's `insuredValue` when the policy has this one cover only (it is then the value
 *     of the one object the cover insures); otherwise the market value of the damaged object at the
 *     loss. The policy-level value of a policy with several covers is the value of everything it
 *     insures (building and contents together): comparing one cover's sum insured with it would
 *     cut a fully insured contents loss to a fifth. The step's `valueFrom` param says which it used.
 *  f. `sum_insured_cap` — then at most the sum insured (Art. 51). DELIBERATE ORDER: the sum-insured
 *     cap comes after the average clause, not before it. Capping first would penalise the
 *     under-insured twice (800M loss, SI 600M, value 1,000M: law → 800 × 0.6 = 480M; cap-first →
 *     600 × 0.6 = 360M). The market-value cap stays before the average clause.
 *  g. `sub_limit` — per-cover sub-limit.
 *  h. `deductible` — the highest of `fixed`, `percentBps` of the running loss, and `minimum`;
 *     never more than the loss (so never below zero); none on a total loss if `waivedOnTotalLoss`.
 *  i. `reduction` — only the highest contractual reduction applies, as a share of what is left.
 *  j. `sum_insured_remaining` — for a cover in `sumInsuredUsed`: at most what other claims of the
 *     policy period left of its sum insured ({@link sumInsuredUsed}), never below zero. Last, on
 *     what this claim would pay, because a sum insured bounds what is paid over the period.
 * Then, for the claim:
 *  k. `mitigation` — necessary, reasonable costs of preventing/minimising the loss are ADDED ON TOP,
 *     outside the sum insured and every cover limit and deductible. Choice: Vietnamese law makes
 *     the insurer pay these even if, with the indemnity, they exceed the sum insured, so we keep
 *     them as a separate, uncapped line. They are never negative (schema) and the adjuster is the
 *     one who decides they were necessary and reasonable before they reach this input.
 *
 * Every step is monotone non-decreasing in the assessed amounts with slope ≤ 1, which is why the
 * switch to total loss never makes the payout drop (property-tested).
 *
 * @throws ValidationError when the input does not parse.
 */
export function calculatePayout(raw: PayoutInputIn): PayoutResult {
  const input = parseInput(raw);
  const steps: PayoutStep[] = [];
  const perCover: CoverPayout[] = [];
  let anyTotalLoss = false;

  for (const cover of input.covers) {
    const items = input.items.filter((i) => i.coverCode === cover.code);
    if (items.length === 0) continue;
    const code = cover.code;
    const isObjectCover = items.some((i) => OBJECT_DAMAGE_KINDS.has(i.kind));
    let running = 0;
    const push = (
      stepCode: PayoutStepCode,
      next: number,
      applied: boolean,
      detail: Text,
      params: PayoutStep['params'] = {},
    ): void => {
      steps.push({
        code: stepCode,
        coverCode: code,
        coverName: cover.name,
        label: LABELS[stepCode],
        amount: vnd(next),
        delta: next - running,
        applied,
        detail,
        params,
      });
      running = next;
    };

    // (a) Assessed cost, then depreciation on replaced parts.
    const assessed = items.reduce((s, i) => s + i.assessedAmount, 0);
    push(
      'assessed',
      assessed,
      true,
      both((l) => (l === 'vi' ? `${items.length} hạng mục` : `${items.length} item(s)`)),
      {
        items: items.length,
      },
    );

    let objectDamageGross = 0;
    let objectDamage = 0; // after depreciation
    let otherLoss = 0;
    let depreciationTaken = 0;
    const replaced = items.filter((i) => i.kind === 'replacement');
    for (const item of items) {
      if (!OBJECT_DAMAGE_KINDS.has(item.kind)) {
        otherLoss += item.assessedAmount;
        continue;
      }
      objectDamageGross += item.assessedAmount;
      let net = item.assessedAmount;
      if (item.kind === 'replacement' && !input.depreciation.waived && item.partAgeYears !== undefined) {
        const bps = Math.min(input.depreciation.maxBps, input.depreciation.bpsPerYear * item.partAgeYears);
        const off = mulDivFloor(item.assessedAmount, bps, 10_000);
        depreciationTaken += off;
        net -= off;
      }
      objectDamage += net;
    }
    if (replaced.length > 0) {
      const { bpsPerYear, maxBps, waived } = input.depreciation;
      push(
        'depreciation',
        running - depreciationTaken,
        depreciationTaken > 0,
        waived
          ? { vi: 'Miễn khấu hao (đã mua điều khoản bổ sung)', en: 'Waived (add-on bought)' }
          : both((l) =>
              l === 'vi'
                ? `${pct(bpsPerYear, l)}/năm tuổi phụ tùng, tối đa ${pct(maxBps, l)}: trừ ${fmt(depreciationTaken, l)}`
                : `${pct(bpsPerYear, l)} per year of part age, at most ${pct(maxBps, l)}: less ${fmt(depreciationTaken, l)}`,
            ),
        { bpsPerYear, maxBps, waived, deducted: depreciationTaken },
      );
    }
    const afterDepreciation = running;

    // (b) Total loss, (c) salvage, (d) market value cap, (e) average clause: object cover only.
    let totalLoss = false;
    if (isObjectCover) {
      const marketValue = input.marketValue ?? 0; // the schema requires it here
      const threshold = input.totalLossThresholdBps;
      totalLoss = BigInt(objectDamageGross) * 10_000n >= BigInt(marketValue) * BigInt(threshold);
      const thresholdAmount = mulDivFloor(marketValue, threshold, 10_000);
      if (totalLoss) {
        objectDamage = Math.max(0, marketValue - input.salvage);
        push(
          'total_loss',
          objectDamage + otherLoss,
          true,
          both((l) =>
            l === 'vi'
              ? `Thiệt hại ${fmt(objectDamageGross, l)} ≥ ${pct(threshold, l)} giá thị trường (${fmt(thresholdAmount, l)}): bồi thường theo giá thị trường ${fmt(marketValue, l)} trừ giá trị thu hồi ${fmt(input.salvage, l)}`
              : `Damage ${fmt(objectDamageGross, l)} ≥ ${pct(threshold, l)} of market value (${fmt(thresholdAmount, l)}): market value ${fmt(marketValue, l)} less salvage ${fmt(input.salvage, l)}`,
          ),
          { objectDamage: objectDamageGross, marketValue, thresholdBps: threshold, salvage: input.salvage },
        );
      } else {
        push(
          'total_loss',
          running,
          false,
          both((l) =>
            l === 'vi'
              ? `Thiệt hại ${fmt(objectDamageGross, l)} < ${pct(threshold, l)} giá thị trường (${fmt(thresholdAmount, l)}): tổn thất bộ phận`
              : `Damage ${fmt(objectDamageGross, l)} < ${pct(threshold, l)} of market value (${fmt(thresholdAmount, l)}): partial loss`,
          ),
          { objectDamage: objectDamageGross, marketValue, thresholdBps: threshold },
        );
      }

      if (input.salvage > 0) {
        if (totalLoss) {
          push(
            'salvage',
            running,
            false,
            { vi: 'Đã trừ khi tính tổn thất toàn bộ', en: 'Already deducted in the total loss' },
            { salvage: input.salvage },
          );
        } else {
          const deducted = Math.min(objectDamage, input.salvage);
          objectDamage -= deducted;
          push(
            'salvage',
            objectDamage + otherLoss,
            deducted > 0,
            both((l) => `${l === 'vi' ? 'Trừ' : 'Less'} ${fmt(deducted, l)}`),
            { salvage: input.salvage, deducted },
          );
        }
      }

      const capped = Math.min(objectDamage, marketValue);
      push(
        'market_value_cap',
        capped + otherLoss,
        capped < objectDamage,
        both((l) =>
          l === 'vi' ? `Giá thị trường ${fmt(marketValue, l)}` : `Market value ${fmt(marketValue, l)}`,
        ),
        { marketValue },
      );

      const known = coverValue(cover, input.covers, input.insuredValue);
      const value = known ?? marketValue;
      const valueFrom =
        cover.insuredValue !== undefined ? 'cover' : known !== undefined ? 'policy' : 'market';
      if (cover.sumInsured < value) {
        const shortfall = mulDivFloor(running, value - cover.sumInsured, value);
        push(
          'average_clause',
          running - shortfall,
          shortfall > 0,
          both((l) =>
            l === 'vi'
              ? `Số tiền bảo hiểm ${fmt(cover.sumInsured, l)} / giá trị ${fmt(value, l)}: bồi thường theo tỷ lệ`
              : `Sum insured ${fmt(cover.sumInsured, l)} / value ${fmt(value, l)}: loss paid in that ratio`,
          ),
          { sumInsured: cover.sumInsured, value, valueFrom },
        );
      } else {
        push(
          'average_clause',
          running,
          false,
          both((l) =>
            l === 'vi'
              ? `Số tiền bảo hiểm ${fmt(cover.sumInsured, l)} không thấp hơn giá trị ${fmt(value, l)}`
              : `Sum insured ${fmt(cover.sumInsured, l)} is not below the value ${fmt(value, l)}`,
          ),
          { sumInsured: cover.sumInsured, value, valueFrom },
        );
      }
    }

    // (f) Sum insured, (g) sub-limit.
    push(
      'sum_insured_cap',
      Math.min(running, cover.sumInsured),
      running > cover.sumInsured,
      both((l) =>
        l === 'vi'
          ? `Số tiền bảo hiểm ${fmt(cover.sumInsured, l)}`
          : `Sum insured ${fmt(cover.sumInsured, l)}`,
      ),
      { sumInsured: cover.sumInsured },
    );
    if (cover.subLimit !== undefined) {
      const subLimit = cover.subLimit;
      push(
        'sub_limit',
        Math.min(running, subLimit),
        running > subLimit,
        both((l) => (l === 'vi' ? `Giới hạn phụ ${fmt(subLimit, l)}` : `Sub-limit ${fmt(subLimit, l)}`)),
        { subLimit },
      );
    }

    // (h) Deductible.
    const d = cover.deductible;
    if (d) {
      if (totalLoss && d.waivedOnTotalLoss) {
        push(
          'deductible',
          running,
          false,
          { vi: 'Không áp dụng khấu trừ khi tổn thất toàn bộ', en: 'Not applied on a total loss' },
          { waived: true },
        );
      } else {
        const fromPercent = d.percentBps === undefined ? 0 : mulDivFloor(running, d.percentBps, 10_000);
        const deductible = Math.min(running, Math.max(d.fixed ?? 0, fromPercent, d.minimum ?? 0));
        const parts = (l: 'vi' | 'en'): string => {
          const bits: string[] = [];
          if (d.fixed !== undefined)
            bits.push(l === 'vi' ? `cố định ${fmt(d.fixed, l)}` : `fixed ${fmt(d.fixed, l)}`);
          if (d.percentBps !== undefined) {
            bits.push(`${pct(d.percentBps, l)} × ${fmt(running, l)} = ${fmt(fromPercent, l)}`);
          }
          if (d.minimum !== undefined) {
            bits.push(l === 'vi' ? `tối thiểu ${fmt(d.minimum, l)}` : `minimum ${fmt(d.minimum, l)}`);
          }
          return `${bits.join('; ')} → ${l === 'vi' ? 'khấu trừ' : 'deduct'} ${fmt(deductible, l)}`;
        };
        push('deductible', running - deductible, deductible > 0, both(parts), {
          fixed: d.fixed ?? 0,
          percentBps: d.percentBps ?? 0,
          minimum: d.minimum ?? 0,
          deducted: deductible,
        });
      }
    }

    // (i) Contractual reductions: the highest one only.
    const highest = [...input.reductions].sort((a, b) => b.bps - a.bps)[0];
    if (highest) {
      const off = mulDivFloor(running, highest.bps, 10_000);
      const ignored = input.reductions.filter((r) => r !== highest).map((r) => `${r.code} ${r.bps}`);
      push(
        'reduction',
        running - off,
        off > 0,
        both((l) =>
          l === 'vi'
            ? `Áp dụng mức cao nhất: ${highest.code} ${pct(highest.bps, l)} (chỉ áp dụng một mức giảm trừ)`
            : `Highest applies: ${highest.code} ${pct(highest.bps, l)} (only one reduction applies)`,
        ),
        { code: highest.code, bps: highest.bps, deducted: off, ignored: ignored.join(', ') },
      );
    }

    // (j) What other claims of the period left of the sum insured.
    const used = input.sumInsuredUsed?.find((u) => u.coverCode === code);
    const remaining = used ? Math.max(0, cover.sumInsured - used.amount) : cover.sumInsured;
    if (used) {
      push(
        'sum_insured_remaining',
        Math.min(running, remaining),
        running > remaining,
        both((l) =>
          l === 'vi'
            ? `Số tiền bảo hiểm ${fmt(cover.sumInsured, l)}, các hồ sơ khác trong thời hạn bảo hiểm đã dùng ${fmt(used.amount, l)}: còn ${fmt(remaining, l)}`
            : `Sum insured ${fmt(cover.sumInsured, l)}, ${fmt(used.amount, l)} taken by other claims in the policy period: ${fmt(remaining, l)} left`,
        ),
        { sumInsured: cover.sumInsured, used: used.amount, remaining },
      );
    }

    const limit = Math.min(cover.sumInsured, cover.subLimit ?? cover.sumInsured, remaining);
    push(
      'cover_payable',
      running,
      true,
      both((l) => fmt(running, l)),
      { limit },
    );
    perCover.push({
      coverCode: code,
      assessed: vnd(assessed),
      afterDepreciation: vnd(afterDepreciation),
      limit: vnd(limit),
      payable: vnd(running),
      totalLoss,
    });
    anyTotalLoss ||= totalLoss;
  }

  // (k) Mitigation costs on top, then the total.
  const coversTotal = perCover.reduce((s, c) => s + c.payable.amount, 0);
  const mitigation = input.mitigationCosts;
  const payable = coversTotal + mitigation;
  const claimStep = (code: PayoutStepCode, amount: number, delta: number, applied: boolean, detail: Text) =>
    steps.push({
      code,
      coverCode: null,
      label: LABELS[code],
      amount: vnd(amount),
      delta,
      applied,
      detail,
      params: {},
    });
  if (mitigation > 0) {
    claimStep(
      'mitigation',
      payable,
      mitigation,
      true,
      both((l) =>
        l === 'vi'
          ? `Cộng ${fmt(mitigation, l)}, ngoài số tiền bảo hiểm`
          : `Plus ${fmt(mitigation, l)}, outside the sum insured`,
      ),
    );
  }
  claimStep(
    'payable',
    payable,
    0,
    true,
    both((l) => fmt(payable, l)),
  );

  return { payable: vnd(payable), totalLoss: anyTotalLoss, mitigation: vnd(mitigation), steps, perCover };
}
