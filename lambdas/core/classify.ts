import type { CheckResult, Classification } from './claim.ts';
import { MAX_AMOUNT, type Money, vnd } from './money.ts';
import type { Cause, ProductConfig, SeverityBand } from './products.ts';

/**
 * Severity band of an estimate: the product's bounds are inclusive upper bounds, so an estimate
 * equal to `low` is still low; anything above `high` is a large loss.
 */
export function severityBandOf(bands: ProductConfig['severityBands'], amount: number): SeverityBand {
  if (amount <= bands.low) return 'low';
  if (amount <= bands.medium) return 'medium';
  if (amount <= bands.high) return 'high';
  return 'large_loss';
}

/**
 * Initial case reserve: the cause's share of the estimate (basis points; the product default when
 * the cause has none), rounded HALF UP to whole đồng, never below the product's minimum and never
 * above {@link MAX_AMOUNT}. BigInt keeps estimate × bps exact beyond 2^53.
 */
export function initialReserve(reserve: ProductConfig['reserve'], cause: Cause, estimate: number): number {
  const bps = reserve.byCauseBps[cause] ?? reserve.defaultBps;
  const share = Number((BigInt(estimate) * BigInt(bps) * 2n + 10_000n) / 20_000n); // half up
  return Math.min(MAX_AMOUNT, Math.max(reserve.minimum, share));
}

/**
 * Classifies a new claim: product line, cause, severity band of the estimate and initial reserve.
 * The cause is taken as reported; whether the product covers it is an intake check, not this.
 */
export function classify(product: ProductConfig, cause: Cause, estimatedAmount: Money): Classification {
  return {
    line: product.line,
    cause,
    severityBand: severityBandOf(product.severityBands, estimatedAmount.amount),
    reserve: vnd(initialReserve(product.reserve, cause, estimatedAmount.amount)),
  };
}

export type StraightThroughReason =
  | 'STRAIGHT_THROUGH_DISABLED'
  | 'AMOUNT_ABOVE_LIMIT'
  | 'DOSSIER_INCOMPLETE'
  | 'FRAUD_INDICATORS'
  | `CHECK_${CheckResult['code']}`;

export interface StraightThroughInput {
  product: ProductConfig;
  estimatedAmount: Money;
  /** Intake check results; the list holds only checks that did NOT pass. */
  checks: readonly CheckResult[];
  dossierComplete: boolean;
  /** Number of fraud rules that fired. */
  fraudIndicators: number;
}

/**
 * Whether a claim may be settled without a person (straight-through processing): the product allows
 * it (`straightThroughMax` > 0), the estimate is at or below `straightThroughMax` (inclusive, like
 * the severity bands), every intake check passed (a `warn` result counts too: the product promises
 * STP only when all checks pass), the dossier is complete and no fraud indicator fired.
 * `reasons` lists every failed condition, not just the first, so the referral note is complete.
 */
export function isStraightThrough(input: StraightThroughInput): {
  eligible: boolean;
  reasons: StraightThroughReason[];
} {
  const reasons: StraightThroughReason[] = [];
  const max = input.product.straightThroughMax;
  if (max === 0) reasons.push('STRAIGHT_THROUGH_DISABLED');
  else if (input.estimatedAmount.amount > max) reasons.push('AMOUNT_ABOVE_LIMIT');
  for (const c of input.checks) {
    const reason: StraightThroughReason = `CHECK_${c.code}`;
    if (!reasons.includes(reason)) reasons.push(reason);
  }
  if (!input.dossierComplete) reasons.push('DOSSIER_INCOMPLETE');
  if (input.fraudIndicators > 0) reasons.push('FRAUD_INDICATORS');
  return { eligible: reasons.length === 0, reasons };
}
