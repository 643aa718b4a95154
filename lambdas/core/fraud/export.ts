/**
 * The labelled-claims CSV the SIU exports: exactly the training format `npm run fraud:train` reads
 * (one column per catalogue feature, the claim number to `--drop`, a 0/1 label), oldest first so an
 * out-of-time split is just a cut. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import type { FraudRecord } from '../claim.ts';
import { FEATURE_CATALOGUE, type FeatureValue } from './features.ts';

/** The label column (the trainer's `--label`) and the id column (its `--drop`). */
export const EXPORT_LABEL = 'FraudFound_P';
export const EXPORT_ID = 'ClaimNumber';

export interface LabelledClaim {
  claimNumber: string;
  submittedAt: string;
  features: Readonly<Record<string, string | number | null>>;
  label: 0 | 1;
}

/**
 * The feature row frozen at a claim's first score, kept on its fraud record beside the latest one.
 * Rescores overwrite `features` with what came later (documents, answers to the investigator's
 * information requests, the assessment, even after the SIU closed the case); a model trained on those
 * rows learns from what the investigation produced, which no claim has when it is scored on receipt.
 */
export interface FirstScore {
  firstFeatures: Readonly<Record<string, FeatureValue>>;
  /** When the first score was taken (its `scoredAt`). */
  firstScoredAt: string;
}
export type StoredFraudRecord = FraudRecord & Partial<FirstScore>;

/**
 * The first score's snapshot to keep on a claim's record: the one it already has, else — on its first
 * score — this row. A record scored before snapshots were kept has none, and gets none from a rescore
 * (a later row is not the first one).
 */
export function firstScoreOf(
  previous: StoredFraudRecord | undefined,
  row: Readonly<Record<string, FeatureValue>>,
  now: string,
): FirstScore | undefined {
  if (!previous) return { firstFeatures: row, firstScoredAt: now };
  return previous.firstFeatures && previous.firstScoredAt
    ? { firstFeatures: previous.firstFeatures, firstScoredAt: previous.firstScoredAt }
    : undefined;
}

/**
 * The features a closed case is exported with: the row frozen at its first score. Null for a claim
 * scored before snapshots were kept (its only row is the latest rescore's, which may hold what the
 * investigation found): such a claim is left out of the export rather than leak.
 */
export const exportedFeatures = (fraud: StoredFraudRecord | undefined) => fraud?.firstFeatures ?? null;

/** The CSV text, header first; missing values are empty cells (the trainer's "missing"). */
export function trainingCsv(claims: readonly LabelledClaim[]): string {
  const columns = [EXPORT_ID, ...FEATURE_CATALOGUE.map((f) => f.name), EXPORT_LABEL];
  const rows = [...claims]
    .sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0))
    .map((c) => [
      c.claimNumber,
      ...FEATURE_CATALOGUE.map((f) => {
        const v = c.features[f.name];
        return v === null || v === undefined ? '' : v;
      }),
      c.label,
    ]);
  // A value from the policy system (a vehicle's make) is text someone else wrote: a cell starting
  // with = + - @ is written as text, not a formula, where a spreadsheet opens the file.
  return stringify(rows, { header: true, columns, escape_formulas: true });
}
