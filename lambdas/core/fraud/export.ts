/**
 * The labelled-claims CSV the SIU exports: exactly the training format `npm run fraud:train` reads
 * (one column per catalogue feature, the claim number to `--drop`, a 0/1 label), oldest first so an
 * out-of-time split is just a cut. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import { FEATURE_CATALOGUE } from './features.ts';

/** The label column (the trainer's `--label`) and the id column (its `--drop`). */
export const EXPORT_LABEL = 'FraudFound_P';
export const EXPORT_ID = 'ClaimNumber';

export interface LabelledClaim {
  claimNumber: string;
  submittedAt: string;
  features: Readonly<Record<string, string | number | null>>;
  label: 0 | 1;
}

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
