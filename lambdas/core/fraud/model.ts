/**
 * The claims-fraud model: feature typing and encoding, training (a class-weighted L2 logistic model
 * on one-hot / binned / ordinal features blended with small gradient-boosted trees, calibrated on a
 * held-out newer fold), the versioned model JSON, and per-claim scoring with per-feature
 * contributions. Pure: no I/O, no clock (the caller passes `trainedAt`).
 */
import * as z from 'zod/mini';
import { defineSchema } from '../define-schema.ts';
import {
  cellNumber,
  cellText,
  FraudDataError,
  parseLabel,
  parseOrdinalBand,
  profileColumns,
  type RawRow,
  type RawValue,
} from './columns.ts';
import { DEFAULT_GBDT, fitGbdt, type BinnedData, type GbdtOptions, type TreeJson } from './gbdt.ts';
import { fitLogistic, linearPredictor, type SparseRows } from './logistic.ts';
import { averagePrecision, rocAuc, type EvaluationReport, evaluate } from './metrics.ts';

export const MODEL_FORMAT = 'claims-fraud-model';
export const MODEL_VERSION = 1;
/** Level key for categorical values seen fewer than the minimum count (or never) in training. */
export const OTHER = '(other)';
/** Level key for a missing value ('' / '?' / NA / null). */
export const MISSING_LEVEL = '(missing)';
/** Numeric columns with at most this many distinct values also get one-hot levels. */
const LOW_CARDINALITY = 12;
const MAX_LEVELS = 200;
const LR_BINS = 6;
const TREE_BINS = 48;
const CLIP = 5;

const categoricalSchema = /* @__PURE__ */ defineSchema(() =>
  z.object({
    name: z.string(),
    kind: z.literal('categorical'),
    levels: z.array(z.string()),
    ordinal: z.optional(z.object({ mean: z.number(), std: z.number() })),
    /** Level keys (levels, OTHER, MISSING) in tree-code order (by training fraud rate). */
    treeOrder: z.array(z.string()),
  }),
);
const numericSchema = /* @__PURE__ */ defineSchema(() =>
  z.object({
    name: z.string(),
    kind: z.literal('numeric'),
    mean: z.number(),
    std: z.number(),
    /** Distinct values one-hot encoded (low-cardinality columns), else empty. */
    levels: z.array(z.number()),
    /** Quantile cut points of the logistic model's bins (empty for low-cardinality columns). */
    cuts: z.array(z.number()),
    /** Quantile cut points of the trees' bins; code 0 is missing. */
    treeCuts: z.array(z.number()),
  }),
);
const treeSchema = /* @__PURE__ */ defineSchema(() =>
  z.object({
    feature: z.array(z.int()),
    split: z.array(z.int()),
    left: z.array(z.int()),
    right: z.array(z.int()),
    value: z.array(z.number()),
  }),
);

/** The model file the live scorer loads (configuration, not code: retraining is a deploy). */
export const fraudModelSchema = /* @__PURE__ */ defineSchema(() =>
  z.object({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION),
    trainedAt: z.string(),
    label: z.string(),
    training: z.object({
      rows: z.number(),
      positives: z.number(),
      fitRows: z.number(),
      validRows: z.number(),
    }),
    features: z.array(z.discriminatedUnion('kind', [categoricalSchema, numericSchema])),
    logistic: z.object({ l2: z.number(), intercept: z.number(), weights: z.record(z.string(), z.number()) }),
    gbdt: z.object({ base: z.number(), trees: z.array(treeSchema) }),
    /** Calibrated blend: logit(score) = bias + a·(logistic logit) + b·(tree margin). */
    blend: z.object({ a: z.number(), b: z.number(), bias: z.number() }),
    referralThreshold: z.number(),
    referralRule: z.string(),
    validation: z.record(z.string(), z.number()),
  }),
);
export type FraudModel = z.infer<typeof fraudModelSchema>;
type FeatureJson = FraudModel['features'][number];

/** Checks a parsed model file; throws FraudDataError('MODEL_INVALID') with the first problem. */
export function parseFraudModel(json: unknown): FraudModel {
  const r = fraudModelSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new FraudDataError(
      'MODEL_INVALID',
      `not a ${MODEL_FORMAT} v${MODEL_VERSION} file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return r.data;
}

// ---------------------------------------------------------------------------------------------
// Encoding (shared by training and scoring, so both see exactly the same features)

interface CompiledColumn {
  feature: FeatureJson;
  /** categorical: level key → term index; numeric low-cardinality: String(value) → term index. */
  levelTerm: Map<string, number>;
  otherTerm: number;
  missingTerm: number;
  ordinalTerm: number;
  valueTerm: number;
  binTerms: number[];
  treeCode: Map<string, number>;
  /** Standardised ordinal value of each kept level (missing: 0, the mean). */
  ordinalOf: Map<string, number>;
}

interface Compiled {
  columns: CompiledColumn[];
  terms: string[];
  weights: Float64Array;
}

function compileFeatures(features: FeatureJson[], weights?: Record<string, number>): Compiled {
  const terms: string[] = [];
  const index = (name: string) => {
    terms.push(name);
    return terms.length - 1;
  };
  const columns = features.map((f): CompiledColumn => {
    const c: CompiledColumn = {
      feature: f,
      levelTerm: new Map(),
      otherTerm: -1,
      missingTerm: -1,
      ordinalTerm: -1,
      valueTerm: -1,
      binTerms: [],
      treeCode: new Map(),
      ordinalOf: new Map(),
    };
    if (f.kind === 'categorical') {
      for (const l of f.levels) c.levelTerm.set(l, index(`${f.name}=${l}`));
      c.otherTerm = index(`${f.name}=${OTHER}`);
      c.missingTerm = index(`${f.name}=${MISSING_LEVEL}`);
      if (f.ordinal) {
        c.ordinalTerm = index(`${f.name}#ordinal`);
        c.ordinalOf.set(MISSING_LEVEL, 0);
        for (const l of f.levels) {
          const band = parseOrdinalBand(l);
          c.ordinalOf.set(l, band === null ? 0 : standardise(band, f.ordinal.mean, f.ordinal.std));
        }
      }
      f.treeOrder.forEach((l, code) => {
        c.treeCode.set(l, code);
      });
    } else {
      c.valueTerm = index(`${f.name}#value`);
      c.missingTerm = index(`${f.name}=${MISSING_LEVEL}`);
      if (f.levels.length > 0) {
        for (const v of f.levels) c.levelTerm.set(String(v), index(`${f.name}=${v}`));
        c.otherTerm = index(`${f.name}=${OTHER}`);
      } else for (let b = 0; b <= f.cuts.length; b++) c.binTerms.push(index(`${f.name}#bin${b}`));
    }
    return c;
  });
  const w = new Float64Array(terms.length);
  if (weights) for (const [i, t] of terms.entries()) w[i] = weights[t] ?? 0;
  return { columns, terms, weights: w };
}

/** Number of cut points below or equal to x (so bins are (−∞,c0], (c0,c1], …). */
function binOf(cuts: readonly number[], x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > cuts[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const standardise = (x: number, mean: number, std: number) =>
  Math.max(-CLIP, Math.min(CLIP, (x - mean) / (std || 1)));

/** Level key of a categorical cell: the trimmed text if kept, else OTHER / MISSING. */
function levelKey(c: CompiledColumn, v: RawValue): string {
  const t = cellText(v);
  if (t === null) return MISSING_LEVEL;
  return c.levelTerm.has(t) ? t : OTHER;
}

/**
 * Encodes one column of one row: pushes (term, value) pairs for the logistic model and returns the
 * tree code.
 */
function encodeCell(c: CompiledColumn, v: RawValue, idx: number[], val: number[]): number {
  const f = c.feature;
  if (f.kind === 'categorical') {
    const key = levelKey(c, v);
    idx.push(key === MISSING_LEVEL ? c.missingTerm : key === OTHER ? c.otherTerm : c.levelTerm.get(key)!);
    val.push(1);
    if (f.ordinal) {
      let o = c.ordinalOf.get(key);
      if (o === undefined) {
        const t = cellText(v);
        const band = t === null ? null : parseOrdinalBand(t);
        o = band === null ? 0 : standardise(band, f.ordinal.mean, f.ordinal.std);
      }
      idx.push(c.ordinalTerm);
      val.push(o);
    }
    return c.treeCode.get(key) ?? c.treeCode.get(OTHER) ?? 0;
  }
  const x = cellNumber(v);
  if (x === null) {
    idx.push(c.missingTerm);
    val.push(1);
    return 0;
  }
  idx.push(c.valueTerm);
  val.push(standardise(x, f.mean, f.std));
  if (f.levels.length > 0) {
    idx.push(c.levelTerm.get(String(x)) ?? c.otherTerm);
    val.push(1);
  } else {
    idx.push(c.binTerms[binOf(f.cuts, x)]!);
    val.push(1);
  }
  return 1 + binOf(f.treeCuts, x);
}

function treeBins(f: FeatureJson): number {
  return f.kind === 'categorical' ? f.treeOrder.length : f.treeCuts.length + 2;
}

// ---------------------------------------------------------------------------------------------
// Building feature specs from data

function quantileCuts(sorted: Float64Array, count: number): number[] {
  const cuts: number[] = [];
  for (let q = 1; q < count; q++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((q / count) * sorted.length))]!;
    if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
  }
  // a cut at the maximum would leave an empty last bin
  if (cuts.length > 0 && cuts[cuts.length - 1]! >= sorted[sorted.length - 1]!) cuts.pop();
  return cuts;
}

function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  const mean = xs.length ? s / xs.length : 0;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  const std = xs.length > 1 ? Math.sqrt(v / (xs.length - 1)) : 1;
  return { mean, std: std > 1e-12 ? std : 1 };
}

/**
 * Types and summarises every column (unsupervised, so all rows are used); the tree-code order of
 * categorical levels uses the labels of `orderRows` only (the fit fold), ranked by smoothed fraud rate.
 */
function buildFeatures(
  rows: readonly RawRow[],
  labels: Uint8Array,
  orderRows: number,
  columns: readonly string[],
  minCount: number,
): FeatureJson[] {
  const profiles = profileColumns(rows, columns);
  let pos = 0;
  for (let i = 0; i < orderRows; i++) pos += labels[i]!;
  const prior = pos / Math.max(1, orderRows);
  const features: FeatureJson[] = [];
  for (const p of profiles) {
    if (p.present === 0) continue;
    if (p.kind === 'numeric') {
      const xs: number[] = [];
      const counts = new Map<number, number>();
      for (const r of rows) {
        const x = cellNumber(r[p.name]);
        if (x === null) continue;
        xs.push(x);
        if (counts.size <= LOW_CARDINALITY) counts.set(x, (counts.get(x) ?? 0) + 1);
      }
      const sorted = Float64Array.from(xs).sort();
      const { mean, std } = meanStd(sorted);
      const lowCard = counts.size <= LOW_CARDINALITY;
      features.push({
        name: p.name,
        kind: 'numeric',
        mean,
        std,
        levels: lowCard
          ? [...counts.entries()]
              .filter(([, n]) => n >= minCount)
              .map(([v]) => v)
              .sort((a, b) => a - b)
          : [],
        cuts: lowCard ? [] : quantileCuts(sorted, LR_BINS),
        treeCuts: quantileCuts(sorted, TREE_BINS),
      });
      continue;
    }
    const counts = new Map<string, number>();
    for (const r of rows) {
      const t = cellText(r[p.name]);
      if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const levels = [...counts.entries()]
      .filter(([, n]) => n >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([l]) => l);
    if (levels.length === 0 && p.distinct > 0.5 * p.present) continue; // an identifier: every value rare
    const kept = new Set(levels);
    const stats = new Map<string, { n: number; pos: number }>();
    for (const key of [...levels, OTHER, MISSING_LEVEL]) stats.set(key, { n: 0, pos: 0 });
    for (let i = 0; i < orderRows; i++) {
      const t = cellText(rows[i]![p.name]);
      const key = t === null ? MISSING_LEVEL : kept.has(t) ? t : OTHER;
      const s = stats.get(key)!;
      s.n++;
      s.pos += labels[i]!;
    }
    const smooth = 20;
    const rate = (k: string) => {
      const s = stats.get(k)!;
      return (s.pos + prior * smooth) / (s.n + smooth);
    };
    const treeOrder = [...stats.keys()].sort((a, b) => rate(a) - rate(b) || (a < b ? -1 : 1));
    let ordinal: { mean: number; std: number } | undefined;
    if (p.ordinal) {
      const os: number[] = [];
      for (const r of rows) {
        const t = cellText(r[p.name]);
        const o = t === null ? null : parseOrdinalBand(t);
        if (o !== null) os.push(o);
      }
      ordinal = meanStd(os);
    }
    features.push({ name: p.name, kind: 'categorical', levels, ...(ordinal ? { ordinal } : {}), treeOrder });
  }
  return features;
}

// ---------------------------------------------------------------------------------------------
// Training

export interface TrainOptions {
  /** Name of the 0/1 (Y/N, yes/no, true/false) label column. */
  label: string;
  /** Columns never used as features (ids, dates, leakage). */
  drop?: readonly string[];
  /** ISO timestamp written into the model (the caller's clock). */
  trainedAt: string;
  /** Share of the newest rows held out to choose settings, calibrate and set the threshold. */
  validationShare?: number;
  /** Refit both models on all rows after choosing settings (default true). */
  refit?: boolean;
  /** Minimum count for a categorical level to keep its own one-hot (default max(10, 0.1% of rows)). */
  minLevelCount?: number;
  /** Up-weighting of positives in the logistic fit (default 'sqrt', see {@link classWeights}). */
  classWeight?: 'sqrt' | 'balanced' | 'none';
  /** L2 penalties tried for the logistic model. */
  l2Grid?: readonly number[];
  gbdt?: Partial<GbdtOptions>;
  /** Share of validation rows above the referral threshold (default 0.1 = the top 10%). */
  referralTopShare?: number;
}

export interface TrainResult {
  model: FraudModel;
  /** Metrics on the held-out newer fold, before the refit (an honest estimate). */
  validation: EvaluationReport;
  skippedRows: number;
}

function encodeAll(compiled: Compiled, rows: readonly RawRow[]): { x: SparseRows; binned: BinnedData } {
  const n = rows.length;
  const nc = compiled.columns.length;
  const idx: number[] = [];
  const val: number[] = [];
  const ptr = new Int32Array(n + 1);
  const codes = compiled.columns.map(() => new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    for (let c = 0; c < nc; c++) {
      const col = compiled.columns[c]!;
      codes[c]![i] = encodeCell(col, row[col.feature.name], idx, val);
    }
    ptr[i + 1] = idx.length;
  }
  return {
    x: { ptr, idx: Int32Array.from(idx), val: Float64Array.from(val), cols: compiled.terms.length },
    binned: { codes, bins: compiled.columns.map((c) => treeBins(c.feature)), rows: n },
  };
}

function sliceRows(x: SparseRows, from: number, to: number): SparseRows {
  const base = x.ptr[from]!;
  const ptr = new Int32Array(to - from + 1);
  for (let i = from; i <= to; i++) ptr[i - from] = x.ptr[i]! - base;
  return { ptr, idx: x.idx.subarray(base, x.ptr[to]), val: x.val.subarray(base, x.ptr[to]), cols: x.cols };
}

function sliceBinned(b: BinnedData, from: number, to: number): BinnedData {
  return { codes: b.codes.map((c) => c.subarray(from, to)), bins: b.bins, rows: to - from };
}

function treeMargins(trees: TreeJson[], base: number, b: BinnedData): Float64Array {
  const out = new Float64Array(b.rows).fill(base);
  for (const t of trees) {
    for (let i = 0; i < b.rows; i++) {
      let node = 0;
      while (t.left[node]! >= 0)
        node = b.codes[t.feature[node]!]![i]! <= t.split[node]! ? t.left[node]! : t.right[node]!;
      out[i] = out[i]! + t.value[node]!;
    }
  }
  return out;
}

/**
 * Class weights for the logistic fit: positives up-weighted by √(negatives/positives). Full
 * balancing (×16 at 6% positives) lets a few positives move the coefficients of small levels and
 * mostly fits noise; the square root keeps the rare class visible with less variance, and the
 * calibration step undoes the shift in the intercept either way.
 */
function classWeights(y: Uint8Array, mode: 'sqrt' | 'balanced' | 'none'): Float64Array {
  let pos = 0;
  for (const v of y) pos += v;
  const neg = y.length - pos;
  const ratio = neg / Math.max(1, pos);
  const wp = mode === 'balanced' ? ratio : mode === 'sqrt' ? Math.sqrt(ratio) : 1;
  return Float64Array.from(y, (v) => (v ? wp : 1));
}

/** Fits the blend on two margins; a component with a negative weight is dropped. */
function fitBlend(lr: Float64Array, tree: Float64Array, y: Uint8Array): { a: number; b: number; c: number } {
  const fitWith = (useA: boolean, useB: boolean) => {
    const n = y.length;
    const cols = (useA ? 1 : 0) + (useB ? 1 : 0);
    const ptr = new Int32Array(n + 1);
    const idx = new Int32Array(n * cols);
    const val = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) {
      let k = i * cols;
      if (useA) {
        idx[k] = 0;
        val[k++] = lr[i]!;
      }
      if (useB) {
        idx[k] = useA ? 1 : 0;
        val[k++] = tree[i]!;
      }
      ptr[i + 1] = k;
    }
    const fit = fitLogistic({ ptr, idx, val, cols }, y, { l2: 1e-4, maxIterations: 200 });
    return {
      a: useA ? fit.weights[0]! : 0,
      b: useB ? fit.weights[useA ? 1 : 0]! : 0,
      c: fit.intercept,
    };
  };
  const both = fitWith(true, true);
  if (both.a >= 0 && both.b >= 0) return both;
  return both.a < 0 ? fitWith(false, true) : fitWith(true, false);
}

/**
 * Trains a model from labelled rows in time order (oldest first): the newest `validationShare` of
 * rows are held out to pick the logistic penalty and the number of trees, to fit the calibrated
 * blend (Platt scaling of the two margins) and to set the referral threshold at the top 10% of
 * held-out scores; then both models are refitted on all rows with those settings.
 */
export function trainFraudModel(rows: readonly RawRow[], options: TrainOptions): TrainResult {
  const { label } = options;
  if (rows.length === 0 || !rows.some((r) => label in r)) {
    throw new FraudDataError('LABEL_COLUMN_MISSING', `label column "${label}" not found`);
  }
  const kept: RawRow[] = [];
  const ys: number[] = [];
  for (const r of rows) {
    const y = parseLabel(r[label], label);
    if (y === null) continue;
    kept.push(r);
    ys.push(y);
  }
  const y = Uint8Array.from(ys);
  const n = kept.length;
  const positives = ys.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === n) {
    throw new FraudDataError('SINGLE_CLASS', `label column "${label}" has only one class`);
  }
  const validShare = options.validationShare ?? 0.2;
  const nFit = Math.round(n * (1 - validShare));
  const validPos = ys.slice(nFit).reduce((s, v) => s + v, 0);
  if (n < 50 || validPos < 2 || positives - validPos < 2) {
    throw new FraudDataError(
      'TOO_FEW_ROWS',
      `need ≥50 labelled rows with ≥2 positives in both the older ${Math.round((1 - validShare) * 100)}% and the newest ${Math.round(validShare * 100)}% (got ${n} rows, ${positives} positives)`,
    );
  }
  const drop = new Set([label, ...(options.drop ?? [])]);
  const columnSet = new Set<string>();
  for (const r of kept) for (const k of Object.keys(r)) if (!drop.has(k)) columnSet.add(k);
  const minCount = options.minLevelCount ?? Math.max(10, Math.ceil(0.001 * n));
  const features = buildFeatures(kept, y, nFit, [...columnSet], minCount);
  if (features.length === 0) throw new FraudDataError('NO_FEATURES', 'no usable feature column');

  const compiled = compileFeatures(features);
  const { x, binned } = encodeAll(compiled, kept);
  const xFit = sliceRows(x, 0, nFit);
  const xValid = sliceRows(x, nFit, n);
  const yFit = y.subarray(0, nFit);
  const yValid = y.subarray(nFit);

  // 1. logistic model: choose the penalty on the newer fold (strongest first, warm-started)
  const grid = [...(options.l2Grid ?? [3e-2, 3e-3, 3e-4])].sort((a, b) => b - a);
  let bestL2 = grid[0]!;
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestFit: { weights: Float64Array; intercept: number } | undefined;
  let warm: { weights: Float64Array; intercept: number } | undefined;
  const weightMode = options.classWeight ?? 'sqrt';
  const fitWeights = classWeights(yFit, weightMode);
  for (const l2 of grid) {
    const fit = fitLogistic(xFit, yFit, { l2, rowWeights: fitWeights, ...(warm ? { init: warm } : {}) });
    warm = fit;
    const z = Array.from(linearPredictor(xValid, fit.weights, fit.intercept));
    const s = rocAuc(z, Array.from(yValid)) + averagePrecision(z, Array.from(yValid));
    if (s > bestScore) {
      bestScore = s;
      bestL2 = l2;
      bestFit = fit;
    }
  }

  // 2. trees: the number of trees is chosen by early stopping on the newer fold
  const gbdtOpts = { ...DEFAULT_GBDT, ...options.gbdt };
  const rate = positives / n;
  const base = Math.log(rate / (1 - rate));
  const bFit = sliceBinned(binned, 0, nFit);
  const bValid = sliceBinned(binned, nFit, n);
  const gb = fitGbdt(bFit, yFit, base, gbdtOpts, { data: bValid, y: yValid });

  // 3. calibrated blend on the newer fold
  const lrValid = linearPredictor(xValid, bestFit!.weights, bestFit!.intercept);
  const treeValid = treeMargins(gb.trees, base, bValid);
  const blend = fitBlend(lrValid, treeValid, yValid);
  const validProbs = Array.from(lrValid, (z, i) => sigmoid(blend.c + blend.a * z + blend.b * treeValid[i]!));
  const topShare = options.referralTopShare ?? 0.1;
  const sortedProbs = [...validProbs].sort((p, q) => q - p);
  const referralThreshold = sortedProbs[Math.max(0, Math.ceil(topShare * sortedProbs.length) - 1)]!;
  const validation = evaluate(validProbs, Array.from(yValid), referralThreshold);

  // 4. refit on everything with the chosen settings (the newest rows matter most out of time)
  let lrFinal = bestFit!;
  let trees = gb.trees;
  if (options.refit ?? true) {
    lrFinal = fitLogistic(x, y, { l2: bestL2, rowWeights: classWeights(y, weightMode), init: bestFit! });
    trees =
      gb.trees.length > 0 && blend.b > 0
        ? fitGbdt(binned, y, base, { ...gbdtOpts, maxTrees: gb.trees.length, patience: Infinity }).trees
        : [];
  }
  if (blend.b === 0) trees = []; // the calibration gave the trees no weight: do not ship them
  const weights: Record<string, number> = {};
  for (const [i, t] of compiled.terms.entries()) weights[t] = round(lrFinal.weights[i]!);

  const model: FraudModel = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    trainedAt: options.trainedAt,
    label,
    training: { rows: n, positives, fitRows: nFit, validRows: n - nFit },
    features,
    logistic: { l2: bestL2, intercept: round(lrFinal.intercept), weights },
    gbdt: { base: round(base), trees: trees.map((t) => ({ ...t, value: t.value.map(round) })) },
    blend: { a: round(blend.a), b: round(blend.b), bias: round(blend.c) },
    referralThreshold: round(referralThreshold),
    referralRule: `top ${Math.round(topShare * 100)}% of scores on the newest ${Math.round(validShare * 100)}% of training rows`,
    validation: Object.fromEntries(
      Object.entries({
        ...validation,
        // each part alone, for the record: which one carries the ranking on this data
        logisticRocAuc: rocAuc(Array.from(lrValid), Array.from(yValid)),
        treesRocAuc: rocAuc(Array.from(treeValid), Array.from(yValid)),
        treesPrAuc: averagePrecision(Array.from(treeValid), Array.from(yValid)),
        logisticPrAuc: averagePrecision(Array.from(lrValid), Array.from(yValid)),
      })
        .filter(([, v]) => Number.isFinite(v))
        .map(([k, v]) => [k, round(v)]),
    ),
  };
  return { model, validation, skippedRows: rows.length - n };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

// ---------------------------------------------------------------------------------------------
// Scoring

/** One feature's share of a claim's score, in log-odds (positive = more suspicious). */
export interface Contribution {
  feature: string;
  value: string | number | null;
  contribution: number;
}

export interface ScoreResult {
  /** Calibrated probability that the claim is fraudulent. */
  score: number;
  /** True when the score is at or above the model's referral threshold. */
  refer: boolean;
  /** Log-odds before any feature (the model's starting point). */
  baseline: number;
  /** Per source column, sorted by |contribution|; baseline + Σ contribution = logit(score). */
  contributions: Contribution[];
}

const compiledCache = new WeakMap<FraudModel, Compiled & { bias: number }>();

function compiledFor(model: FraudModel): Compiled & { bias: number } {
  let c = compiledCache.get(model);
  if (!c) {
    const base = compileFeatures(model.features, model.logistic.weights);
    let treeBias = model.gbdt.base;
    for (const t of model.gbdt.trees) treeBias += t.value[0]!;
    const bias = model.blend.bias + model.blend.a * model.logistic.intercept + model.blend.b * treeBias;
    c = { ...base, bias };
    compiledCache.set(model, c);
  }
  return c;
}

/**
 * Scores one claim (any object with the training columns; missing columns count as missing values,
 * unseen levels as "other"). Contributions are exact: for the logistic part coefficient × encoded
 * value, for the trees the change in node value along the claim's path (Saabas), both scaled by the
 * calibrated blend and summed per source column.
 */
export function scoreRow(model: FraudModel, row: RawRow): ScoreResult {
  const c = compiledFor(model);
  const { a, b } = model.blend;
  const nc = c.columns.length;
  const contrib = new Float64Array(nc);
  const codes = new Uint8Array(nc);
  const idx: number[] = [];
  const val: number[] = [];
  for (let k = 0; k < nc; k++) {
    const col = c.columns[k]!;
    idx.length = 0;
    val.length = 0;
    codes[k] = encodeCell(col, row[col.feature.name], idx, val);
    let s = 0;
    for (let j = 0; j < idx.length; j++) s += c.weights[idx[j]!]! * val[j]!;
    contrib[k] = a * s;
  }
  if (b !== 0) {
    for (const t of model.gbdt.trees) {
      let node = 0;
      while (t.left[node]! >= 0) {
        const f = t.feature[node]!;
        const next = codes[f]! <= t.split[node]! ? t.left[node]! : t.right[node]!;
        contrib[f] = contrib[f]! + b * (t.value[next]! - t.value[node]!);
        node = next;
      }
    }
  }
  let logit = c.bias;
  const contributions: Contribution[] = [];
  for (let k = 0; k < nc; k++) {
    logit += contrib[k]!;
    const name = c.columns[k]!.feature.name;
    const raw = row[name];
    contributions.push({
      feature: name,
      value: raw === undefined || raw === null ? null : typeof raw === 'boolean' ? String(raw) : raw,
      contribution: contrib[k]!,
    });
  }
  contributions.sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution));
  const score = sigmoid(logit);
  return { score, refer: score >= model.referralThreshold, baseline: c.bias, contributions };
}

/** A feature whose value is to be chosen among candidates (see {@link riskiestRow}). */
export interface RiskiestChoice {
  feature: string;
  /** The values it may take, in a fixed order (the first wins a tie). */
  candidates: readonly RawValue[];
}

/**
 * The row with each listed feature set to the candidate that gives the highest score, the other
 * columns as given. Coordinate ascent from each feature's first candidate, so the result does not
 * depend on the values the row had for the listed features: exact for the logistic part (additive
 * per column); where the trees couple two listed features it stops at a combination that no single
 * feature's change raises. Features the model does not read keep their value. Scoring the returned
 * row with {@link scoreRow} gives the score and its exact contributions.
 */
export function riskiestRow(model: FraudModel, row: RawRow, choices: readonly RiskiestChoice[]): RawRow {
  const c = compiledFor(model);
  const column = new Map(c.columns.map((col, k) => [col.feature.name, k]));
  const active = choices.filter((ch) => column.has(ch.feature) && ch.candidates.length > 0);
  if (active.length === 0) return row;
  const out: Record<string, RawValue> = { ...row };
  for (const ch of active) out[ch.feature] = ch.candidates[0];
  const nc = c.columns.length;
  const linear = new Float64Array(nc);
  const codes = new Uint8Array(nc);
  const idx: number[] = [];
  const val: number[] = [];
  const encode = (k: number, v: RawValue) => {
    idx.length = 0;
    val.length = 0;
    codes[k] = encodeCell(c.columns[k]!, v, idx, val);
    let s = 0;
    for (let j = 0; j < idx.length; j++) s += c.weights[idx[j]!]! * val[j]!;
    linear[k] = s;
  };
  for (let k = 0; k < nc; k++) encode(k, out[c.columns[k]!.feature.name]);
  const { a, b } = model.blend;
  const margin = () => {
    let m = 0;
    for (let k = 0; k < nc; k++) m += a * linear[k]!;
    if (b !== 0)
      for (const t of model.gbdt.trees) {
        let node = 0;
        while (t.left[node]! >= 0)
          node = codes[t.feature[node]!]! <= t.split[node]! ? t.left[node]! : t.right[node]!;
        m += b * t.value[node]!;
      }
    return m;
  };
  for (let pass = 0; pass < 5; pass++) {
    let moved = false;
    for (const ch of active) {
      const k = column.get(ch.feature)!;
      let best = out[ch.feature];
      let bestMargin = margin();
      for (const v of ch.candidates) {
        encode(k, v);
        const m = margin();
        if (m > bestMargin + 1e-12) {
          best = v;
          bestMargin = m;
          moved = true;
        }
      }
      out[ch.feature] = best;
      encode(k, best);
    }
    if (!moved) break;
  }
  return out;
}

/** Scores labelled rows and computes the evaluation report at the model's referral threshold. */
export function evaluateModel(
  model: FraudModel,
  rows: readonly RawRow[],
  label: string,
): { report: EvaluationReport; skippedRows: number } {
  if (rows.length === 0 || !rows.some((r) => label in r)) {
    throw new FraudDataError('LABEL_COLUMN_MISSING', `label column "${label}" not found`);
  }
  const probs: number[] = [];
  const labels: number[] = [];
  for (const r of rows) {
    const y = parseLabel(r[label], label);
    if (y === null) continue;
    probs.push(scoreRow(model, r).score);
    labels.push(y);
  }
  return {
    report: evaluate(probs, labels, model.referralThreshold),
    skippedRows: rows.length - labels.length,
  };
}
