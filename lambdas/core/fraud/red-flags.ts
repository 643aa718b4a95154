/**
 * Red-flag rules, written as data (lambdas/config/fraud-rules.json, json-rules-engine conditions
 * over the feature catalogue), so an insurer changes a window, a threshold or a weight without a
 * code change. Each rule has a code; the sentence staff read is in the message catalogue
 * (`RED_FLAG_TEXT` in core/messages.ts), filled with the claim's feature values.
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import * as z from 'zod/mini';
import { defineSchema } from '../define-schema.ts';
import { formatCodeIn, type Locale, STAFF_CATALOGUE } from '../i18n.ts';
import { RED_FLAG_TEXT } from '../messages.ts';
import { FEATURE_CATALOGUE, type FeatureRow } from './features.ts';

export const RED_FLAG_CODES = [
  'LOSS_SOON_AFTER_INCEPTION',
  'LOSS_NEAR_EXPIRY',
  'LATE_REPORTING',
  'REPEAT_CLAIMANT',
  'JUST_UNDER_THRESHOLD',
  'ROUND_AMOUNT',
  'CLAIM_CLUSTER',
  'SHARED_ATTRIBUTE',
  'SUM_INSURED_RAISED_BEFORE_LOSS',
  'PAYOUT_ACCOUNT_CHANGED',
] as const;
export type RedFlagCode = (typeof RED_FLAG_CODES)[number];

const FEATURE_NAMES = FEATURE_CATALOGUE.map((f) => f.name) as [string, ...string[]];

/** A json-rules-engine condition restricted to catalogue facts (a typo is a config error, not a silent no-op). */
const Condition: z.ZodMiniType<unknown> = /* @__PURE__ */ defineSchema(() =>
  z.lazy(() =>
    z.union([
      z.strictObject({ all: z.array(Condition).check(z.minLength(1)) }),
      z.strictObject({ any: z.array(Condition).check(z.minLength(1)) }),
      z.strictObject({ not: Condition }),
      z.strictObject({
        fact: z.enum(FEATURE_NAMES),
        operator: z.enum([
          'equal',
          'notEqual',
          'lessThan',
          'lessThanInclusive',
          'greaterThan',
          'greaterThanInclusive',
          'in',
          'notIn',
        ]),
        value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
      }),
    ]),
  ),
);

export const FraudRulesConfig = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    format: z.literal('claims-fraud-rules'),
    version: z.literal(1),
    referral: z.strictObject({ minFlags: z.int().check(z.gte(1), z.lte(20)) }),
    clusterWindowDays: z.int().check(z.gte(1), z.lte(365)),
    /** The product's typical (median) claim amount, VND, by product code. */
    typicalAmount: z.record(z.string(), z.int().check(z.gte(1))),
    rules: z
      .array(
        z.strictObject({
          code: z.enum(RED_FLAG_CODES),
          weight: z.int().check(z.gte(1), z.lte(10)),
          conditions: z.union([
            z.strictObject({ all: z.array(Condition).check(z.minLength(1)) }),
            z.strictObject({ any: z.array(Condition).check(z.minLength(1)) }),
          ]),
        }),
      )
      .check(z.maxLength(50)),
  }),
);
export type FraudRulesConfig = z.infer<typeof FraudRulesConfig>;

/** An indicator as stored on the claim: the code, its weight and the sentence in both languages. */
export interface RedFlag {
  code: RedFlagCode;
  weight: number;
  detail: { vi: string; en: string };
}

export interface RedFlagRules {
  config: FraudRulesConfig;
  evaluate(row: FeatureRow): Promise<RedFlag[]>;
}

/** Sentence parameters: feature values, with amounts written the Vietnamese way. */
function sentenceParams(row: FeatureRow): Record<string, unknown> {
  const p: Record<string, unknown> = { ...row };
  if (typeof row.ClaimAmount === 'number') p.ClaimAmount = row.ClaimAmount.toLocaleString('vi-VN');
  if (typeof row.Threshold_Gap === 'number')
    p.Threshold_Gap = `${Math.round(row.Threshold_Gap * 1000) / 10}%`;
  return p;
}

/** The sentence of one flag for this claim. */
export function redFlagSentence(code: RedFlagCode, row: FeatureRow) {
  const params = sentenceParams(row);
  // From the staff namespace alone, so the scoring functions do not bundle the whole catalogue.
  const say = (locale: Locale) => formatCodeIn(STAFF_CATALOGUE[locale], RED_FLAG_TEXT, code, locale, params);
  return { vi: say('vi'), en: say('en') };
}

/**
 * Compiles the rules once (the engine is reused for every claim). Throws a zod error naming the
 * first problem when the config is not valid.
 */
export function compileRedFlags(json: unknown): RedFlagRules {
  const config = FraudRulesConfig.parse(json);
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [i, r] of config.rules.entries()) {
    engine.addRule({
      name: `${r.code}#${i}`,
      conditions: r.conditions as TopLevelCondition,
      event: { type: r.code, params: { weight: r.weight } },
    });
  }
  return {
    config,
    async evaluate(row) {
      const { events } = await engine.run({ ...row });
      const seen = new Set<string>();
      const flags: RedFlag[] = [];
      for (const e of events) {
        const code = e.type as RedFlagCode;
        if (seen.has(code)) continue;
        seen.add(code);
        flags.push({ code, weight: Number(e.params?.weight ?? 1), detail: redFlagSentence(code, row) });
      }
      return flags.sort((a, b) => RED_FLAG_CODES.indexOf(a.code) - RED_FLAG_CODES.indexOf(b.code));
    },
  };
}
