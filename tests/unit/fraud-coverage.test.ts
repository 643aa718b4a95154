import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { featureCoverage } from '../../lambdas/core/fraud/coverage.ts';
import { parseFraudModel } from '../../lambdas/core/fraud/model.ts';
import { compileRedFlags } from '../../lambdas/core/fraud/red-flags.ts';

const model = parseFraudModel(JSON.parse(readFileSync('lambdas/config/fraud-model.json', 'utf8')));
const rules = compileRedFlags(JSON.parse(readFileSync('lambdas/config/fraud-rules.json', 'utf8')));
const doc = readFileSync('docs/fraud-model.md', 'utf8');
const section = doc.slice(doc.indexOf('## What the shipped files read'), doc.indexOf('## Red flags'));

describe('what the shipped model and rules leave unread (docs/fraud-model.md says the same)', () => {
  const coverage = featureCoverage(model, rules.config);

  it('lists the model columns no live feature supplies, and the docs name each', () => {
    expect(coverage.modelColumnsWithoutLiveFeature).toEqual([
      'AccidentArea',
      'Sex',
      'MaritalStatus',
      'BasePolicy',
      'VehiclePrice',
      'AgeOfPolicyHolder',
      'DriverRating',
      'RepNumber',
      'NoiseCategory',
      'NoiseNumber',
      'GarageCode',
    ]);
    for (const c of coverage.modelColumnsWithoutLiveFeature) expect(section).toContain(`\`${c}\``);
  });

  it('lists the catalogue features neither the model nor a rule reads, and the docs name each', () => {
    expect(coverage.unusedFeatures).toEqual([
      'Days_Policy_Claim',
      'ContactChange_Claim',
      'Amount_To_SumInsured',
      'Amount_To_Typical',
      'AgeOfItem',
      'NumberOfSuppliments',
      'Channel',
      'AgentType',
      'ProductCode',
      'Cause',
    ]);
    for (const f of coverage.unusedFeatures) expect(section).toContain(`\`${f}\``);
  });

  it('sees a feature a rule reads as used', () => {
    const withRule = {
      ...rules.config,
      rules: [
        ...rules.config.rules,
        {
          code: 'LATE_REPORTING' as const,
          weight: 1,
          conditions: { any: [{ not: { fact: 'BankAccountChange_Claim', operator: 'equal', value: 'No' } }] },
        },
      ],
    };
    expect(featureCoverage(model, withRule as typeof rules.config).unusedFeatures).not.toContain(
      'BankAccountChange_Claim',
    );
  });
});
