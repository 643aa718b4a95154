import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FraudRecord } from '../../lambdas/core/claim.ts';
import { fraudStanding, scoreFactors } from '../../lambdas/core/fraud/explain.ts';
import { FEATURE_CATALOGUE } from '../../lambdas/core/fraud/features.ts';
import { NOISE_COLUMNS } from '../../lambdas/core/fraud/synthetic.ts';
import { hasMessage } from '../../lambdas/core/i18n.ts';
import { FRAUD_FEATURE_TEXT } from '../../lambdas/core/messages.ts';

/** What the scorer stored for a claim (core/fraud/assess.ts), in the order it keeps them. */
const fraud: Pick<FraudRecord, 'contributions' | 'features'> = {
  contributions: [
    { feature: 'PastNumberOfClaims', value: 'none', contribution: 0.4 },
    { feature: 'Make', value: 'Toyota', contribution: -0.2 },
    { feature: 'AccidentArea', value: null, contribution: 0.1 },
    { feature: 'Days_Policy_Accident', value: 'more than 30', contribution: 0.3 },
    { feature: 'Fault', value: null, contribution: 0 },
  ],
  features: { PastNumberOfClaims: 0, Make: 'Toyota', Days_Policy_Accident: 299, Fault: null },
};

describe('what drives a fraud score, as staff read it', () => {
  it('lists the factors by their pull, largest first, leaving out what moved nothing', () => {
    const factors = scoreFactors(fraud);
    expect(factors.map((f) => f.feature)).toEqual([
      'PastNumberOfClaims',
      'Days_Policy_Accident',
      'Make',
      'AccidentArea',
    ]);
    expect(factors.map((f) => f.direction)).toEqual(['raises', 'raises', 'lowers', 'raises']);
    // 0.4 of a total pull of 1.0, and so on.
    expect(factors.map((f) => f.share)).toEqual([0.4, 0.3, 0.2, 0.1]);
  });

  it('shows the claim’s own value, not the training band the model put it in', () => {
    const byFeature = Object.fromEntries(scoreFactors(fraud).map((f) => [f.feature, f.value]));
    expect(byFeature.Days_Policy_Accident).toBe(299);
    expect(byFeature.PastNumberOfClaims).toBe(0);
    // A column only the model's training file has: the value the model saw (missing here).
    expect(byFeature.AccidentArea).toBeNull();
  });

  it('shows what the customer declared beside the answer the model scored, where the scorer set it aside', () => {
    const declared: Pick<FraudRecord, 'contributions' | 'features' | 'scoredUnanswered'> = {
      contributions: [
        { feature: 'Fault', value: null, contribution: 0.5 },
        { feature: 'WitnessPresent', value: 'No', contribution: 0.3 },
        { feature: 'Days_Policy_Accident', value: 'more than 30', contribution: 0.2 },
      ],
      features: { Fault: 'Third Party', WitnessPresent: 'No', Days_Policy_Accident: 299 },
      scoredUnanswered: ['Fault'],
    };
    const [fault, witness, days] = scoreFactors(declared);
    expect(fault).toMatchObject({ feature: 'Fault', value: null, declared: 'Third Party' });
    // Scored as answered: only the answer.
    expect(witness).toEqual(expect.objectContaining({ feature: 'WitnessPresent', value: 'No' }));
    expect(witness).not.toHaveProperty('declared');
    expect(days).not.toHaveProperty('declared');
  });

  it('calls a claim clear only with no flag and no referral', () => {
    const scored = { score: 0.1, threshold: 0.13, reasons: [] as FraudRecord['reasons'] };
    expect(fraudStanding({ fraud: scored, fraudIndicators: [] })).toBe('clear');
    expect(fraudStanding({ fraud: scored, fraudIndicators: [{ code: 'LATE_REPORTING' }] })).toBe('flagged');
    const referred = { ...scored, score: 0.2, reasons: ['SCORE_ABOVE_THRESHOLD'] as FraudRecord['reasons'] };
    expect(fraudStanding({ fraud: referred, fraudIndicators: [] })).toBe('referred');
    // Referred once, referred on the page whatever the SIU concluded (the SIU line says what it found).
    expect(fraudStanding({ fraud: scored, fraudIndicators: [], siu: { status: 'closed' } })).toBe('referred');
  });

  it('has words in both languages for every live feature and every meaningful column of the shipped model', () => {
    const model = JSON.parse(readFileSync('lambdas/config/fraud-model.json', 'utf8')) as {
      features: { name: string }[];
    };
    const noise = new Set<string>(NOISE_COLUMNS);
    const columns = new Set([
      ...FEATURE_CATALOGUE.map((f) => f.name),
      ...model.features.map((f) => f.name).filter((n) => !noise.has(n) || n === 'Sex' || n === 'RepNumber'),
    ]);
    const missing = [...columns]
      .map((n) => `${FRAUD_FEATURE_TEXT.prefix}.${n}`)
      .filter((k) => !hasMessage(k, 'vi') || !hasMessage(k, 'en'));
    expect(missing).toEqual([]);
  });
});
