/**
 * Reading raw history columns: missing values, numbers, ordinal bands written as text ("1 to 2",
 * "more than 30", "less than 20000", "none", "new", "3 years") and 0/1-style labels, plus the
 * automatic typing of a column as numeric or categorical.
 */

/** A cell of a history row as the trainer and the scorer accept it. */
export type RawValue = string | number | boolean | null | undefined;
/** One claim: column name → raw value. */
export type RawRow = Readonly<Record<string, RawValue>>;

/** Stable codes for what can be wrong with training/evaluation input (the CLI prints them). */
export type FraudDataErrorCode =
  | 'LABEL_COLUMN_MISSING'
  | 'LABEL_VALUE_INVALID'
  | 'SINGLE_CLASS'
  | 'TOO_FEW_ROWS'
  | 'NO_FEATURES'
  | 'FILE_UNREADABLE'
  | 'MODEL_INVALID'
  | 'USAGE';

/** Raised for bad training/evaluation input; `code` is stable, `message` is for people. */
export class FraudDataError extends Error {
  override readonly name = 'FraudDataError';
  constructor(
    readonly code: FraudDataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MISSING = new Set(['', '?', 'na', 'n/a', 'nan', 'null']);

/** The trimmed text of a cell, or null when the cell is missing ('' / '?' / NA / null …). */
export function cellText(v: RawValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const t = v.trim();
  return MISSING.has(t.toLowerCase()) ? null : t;
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The number in a cell, or null when missing or not a plain number ("1,200" reads as 1200). */
export function cellNumber(v: RawValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const t = cellText(v);
  if (t === null) return null;
  const s = t.replace(/(\d),(?=\d{3}\b)/g, '$1');
  return NUMBER_RE.test(s) ? Number(s) : null;
}

const ZERO_WORDS = new Set(['none', 'no', 'new', 'zero', 'no change', 'never', 'nil']);

/** True for a band that says "nothing" in words ("no change", "none", "never"), not a number. */
export function isNoneBand(text: string): boolean {
  return ZERO_WORDS.has(text.trim().toLowerCase().replace(/\s+/g, ' '));
}

/** True for a band written in years or months ("under 6 months", "2 to 3 years"): read as years. */
export function isYearBand(text: string): boolean {
  return /\b(years?|months?)\b/i.test(text);
}
const NUM = String.raw`(\d+(?:\.\d+)?)`;
const RANGE_RE = new RegExp(`^${NUM}\\s*(?:to|-|–|and)\\s*${NUM}(?:\\s+[a-z ]+)?$`);
const MORE_RE = new RegExp(`^(?:more than|over|above|greater than|at least|>=?)\\s*${NUM}(?:\\s+[a-z ]+)?$`);
const PLUS_RE = new RegExp(`^${NUM}\\s*\\+(?:\\s+[a-z ]+)?$`);
const LESS_RE = new RegExp(`^(?:less than|under|below|fewer than|<=?)\\s*${NUM}(?:\\s+[a-z ]+)?$`);
const UNIT_RE = new RegExp(`^${NUM}\\s+[a-z ]+$`);

/**
 * Reads an ordinal band written as text to a number that orders the bands: "a to b" → midpoint,
 * "more than a" → a+1, "less than a" → a/2, "none"/"new"/"no change" → 0, "3 years" → 3, "1" → 1.
 * Units inside a value are ignored except months, which count as twelfths of a year when the word
 * "month" appears (so "under 6 months" sorts before "1 year"). Null when the text is not a band.
 */
export function parseOrdinalBand(text: string): number | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/,(?=\d{3}\b)/g, '')
    .replace(/\s+/g, ' ');
  if (ZERO_WORDS.has(t)) return 0;
  const scale = /\bmonths?\b/.test(t) ? 1 / 12 : 1;
  let m = RANGE_RE.exec(t);
  if (m) return ((Number(m[1]) + Number(m[2])) / 2) * scale;
  m = MORE_RE.exec(t) ?? PLUS_RE.exec(t);
  if (m) return (Number(m[1]) + 1) * scale;
  m = LESS_RE.exec(t);
  if (m) return (Number(m[1]) / 2) * scale;
  if (NUMBER_RE.test(t)) return Number(t) * scale;
  m = UNIT_RE.exec(t);
  if (m) return Number(m[1]) * scale;
  return null;
}

const POSITIVE = new Set(['1', 'y', 'yes', 'true', 't', '1.0']);
const NEGATIVE = new Set(['0', 'n', 'no', 'false', 'f', '0.0']);

/** Reads a label cell: 0/1, Y/N, yes/no, true/false (any case). Null when missing; throws when unknown. */
export function parseLabel(v: RawValue, column: string): 0 | 1 | null {
  const t = cellText(v);
  if (t === null) return null;
  const s = t.toLowerCase();
  if (POSITIVE.has(s)) return 1;
  if (NEGATIVE.has(s)) return 0;
  throw new FraudDataError(
    'LABEL_VALUE_INVALID',
    `label column "${column}" has value "${t}"; expected 0/1, Y/N, yes/no or true/false`,
  );
}

/** What automatic typing decided about one column (before encoding). */
export interface ColumnProfile {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Non-missing rows. */
  present: number;
  /** Distinct non-missing values (capped count for speed). */
  distinct: number;
  /** For categorical columns whose values are ordinal bands: every level parses to a number. */
  ordinal: boolean;
}

/** Share of non-missing cells that must parse as numbers for a column to count as numeric. */
const NUMERIC_SHARE = 0.95;
/** Share of non-missing cells that must parse as bands for a categorical column to get an ordinal. */
const ORDINAL_SHARE = 0.95;

/**
 * Types each column from its values: numeric when ≥95% of present cells are plain numbers;
 * otherwise categorical, with `ordinal` set when ≥95% of present cells are ordinal bands and at
 * least two distinct band values occur.
 */
export function profileColumns(rows: readonly RawRow[], columns: readonly string[]): ColumnProfile[] {
  return columns.map((name) => {
    let present = 0;
    let numeric = 0;
    let banded = 0;
    const bandValues = new Set<number>();
    // parse each distinct text once: categorical columns repeat a handful of values
    const seen = new Map<string, { numeric: boolean; band: number | null }>();
    for (const row of rows) {
      const t = cellText(row[name]);
      if (t === null) continue;
      present++;
      let parsed = seen.get(t);
      if (!parsed) {
        parsed = { numeric: cellNumber(t) !== null, band: parseOrdinalBand(t) };
        if (seen.size < 50_000) seen.set(t, parsed);
      }
      if (parsed.numeric) numeric++;
      if (parsed.band !== null) {
        banded++;
        if (bandValues.size < 3) bandValues.add(parsed.band);
      }
    }
    const distinct = seen;
    const isNumeric = present > 0 && numeric >= NUMERIC_SHARE * present;
    return {
      name,
      kind: isNumeric ? 'numeric' : 'categorical',
      present,
      distinct: distinct.size,
      ordinal: !isNumeric && present > 0 && banded >= ORDINAL_SHARE * present && bandValues.size >= 2,
    };
  });
}
