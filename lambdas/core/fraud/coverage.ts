/**
 * Which computed indicators can move a claim's outcome: the model's columns that no live feature
 * supplies (they are always "missing" on a live claim, so their weight is the missing level's), and
 * the catalogue features that neither the model nor a red-flag rule reads (computed, stored and
 * exported, but they change nothing). tests/unit/fraud-coverage.test.ts pins both lists for the
 * shipped files, so a new model or rules file that changes them also changes docs/fraud-model.md.
 */
import { FEATURE_CATALOGUE } from './features.ts';
import type { FraudModel } from './model.ts';
import type { FraudRulesConfig } from './red-flags.ts';

export interface FeatureCoverage {
  /** Model columns with no live feature of that name: always missing when a live claim is scored. */
  modelColumnsWithoutLiveFeature: string[];
  /** Catalogue features neither the model nor any red-flag rule reads. */
  unusedFeatures: string[];
}

function factsOf(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) factsOf(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.fact === 'string') out.add(o.fact);
    for (const k of ['all', 'any', 'not']) if (k in o) factsOf(o[k], out);
  }
  return out;
}

/** What the model and the rules in force leave unread (see the module comment). */
export function featureCoverage(model: FraudModel, rules: FraudRulesConfig): FeatureCoverage {
  const live = new Set<string>(FEATURE_CATALOGUE.map((f) => f.name));
  const columns = new Set(model.features.map((f) => f.name));
  const facts = factsOf(
    rules.rules.map((r) => r.conditions),
    new Set(),
  );
  return {
    modelColumnsWithoutLiveFeature: [...columns].filter((c) => !live.has(c)),
    unusedFeatures: [...live].filter((f) => !columns.has(f) && !facts.has(f)),
  };
}
