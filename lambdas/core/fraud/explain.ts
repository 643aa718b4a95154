import type { FraudRecord } from '../claim.ts';
import { CONTROL_REFERRALS, type ControlReferral } from './siu.ts';

/**
 * What staff read of a fraud score: whether the claim is clear, flagged or referred, and the
 * factors that moved the model's score, largest first, each with the value the claim had. Pure:
 * the console renders it in words (`FRAUD_FEATURE_TEXT` names each factor).
 */

/** How the fraud panel presents a claim. */
export type FraudStanding = 'clear' | 'flagged' | 'referred';

/**
 * `referred` when the score or the flags referred the claim to the SIU (whatever the SIU found
 * since), `flagged` when red flags were found below the referral bar, `clear` otherwise: a score
 * under the threshold and no flag, nothing for staff to look into.
 */
export function fraudStanding(claim: {
  fraud?: Pick<FraudRecord, 'reasons'> | undefined;
  fraudIndicators?: readonly unknown[] | undefined;
  siu?: unknown;
}): FraudStanding {
  if (claim.siu || (claim.fraud?.reasons.length ?? 0) > 0) return 'referred';
  if ((claim.fraudIndicators?.length ?? 0) > 0) return 'flagged';
  return 'clear';
}

export interface ScoreFactor {
  /** The column the model read (a feature of core/fraud/features.ts, or a column of its training file). */
  feature: string;
  /**
   * The claim's value: the live feature row's when the claim has that feature (the day count, not
   * the training band the model put it in), else the value the model saw; null when not known.
   */
  value: string | number | null;
  /**
   * For a fact that rests on the customer's word alone: what they said (or null), while `value` is
   * the answer the model scored it at: the riskier of that answer and no answer (core/fraud/assess.ts).
   */
  declared?: string | number | null;
  direction: 'raises' | 'lowers';
  /** This factor's part of the listed factors' total pull, 0–1 (two decimals). */
  share: number;
}

/** The stored contributions as factors, largest pull first; factors that moved nothing are left out. */
export function scoreFactors(
  fraud: Pick<FraudRecord, 'contributions' | 'features' | 'scoredUnanswered'>,
): ScoreFactor[] {
  const moving = fraud.contributions.filter((c) => c.contribution !== 0);
  const total = moving.reduce((s, c) => s + Math.abs(c.contribution), 0);
  return [...moving]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .map((c) => ({
      feature: c.feature,
      ...((fraud.scoredUnanswered ?? []).includes(c.feature)
        ? { value: c.value, declared: fraud.features[c.feature] ?? null }
        : {
            value: Object.hasOwn(fraud.features, c.feature) ? (fraud.features[c.feature] ?? null) : c.value,
          }),
      direction: c.contribution > 0 ? 'raises' : 'lowers',
      share: Math.round((Math.abs(c.contribution) / total) * 100) / 100,
    }));
}

/** The referral reasons a control gave (a staff payout account), for naming them in words. */
export const controlReferrals = (reasons: readonly string[] | undefined): ControlReferral[] =>
  (reasons ?? []).filter((r): r is ControlReferral => (CONTROL_REFERRALS as readonly string[]).includes(r));
