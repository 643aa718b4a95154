/**
 * Ranking and threshold metrics for the fraud scorer. Scores are "higher = more suspicious"; labels
 * are 0/1. Ties are handled the way the usual references do (scikit-learn's `roc_auc_score` and
 * `average_precision_score`), so numbers are comparable with other tools.
 */

function checkInputs(scores: readonly number[], labels: readonly number[]): void {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
}

/** Indices sorted by score, highest first (stable on ties). */
function byScoreDesc(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/**
 * ROC-AUC as the Mann–Whitney statistic with tied scores given their average rank (a tie between a
 * positive and a negative counts one half). NaN when either class is absent.
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  checkInputs(scores, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let pos = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        rankSumPos += avgRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = order.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * PR-AUC as average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first
 * (a group of tied scores is one threshold). No interpolation. NaN when there is no positive.
 */
export function averagePrecision(scores: readonly number[], labels: readonly number[]): number {
  checkInputs(scores, labels);
  const order = byScoreDesc(scores);
  const totalPos = labels.reduce<number>((s, y) => s + (y === 1 ? 1 : 0), 0);
  if (totalPos === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) tp++;
    seen = j + 1;
    const recall = tp / totalPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j + 1;
  }
  return ap;
}

/**
 * Share of all positives found among the top `fraction` of rows by score (e.g. 0.1 = the 10% an
 * investigator team could review). The cut is ceil(fraction·n) rows; when it falls inside a group of
 * tied scores, the group counts in proportion (the expected recall under a random tie-break), so the
 * result does not depend on row order.
 */
export function recallAtTopFraction(
  scores: readonly number[],
  labels: readonly number[],
  fraction: number,
): number {
  checkInputs(scores, labels);
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError('fraction must be in (0, 1]');
  const totalPos = labels.reduce<number>((s, y) => s + (y === 1 ? 1 : 0), 0);
  if (totalPos === 0) return Number.NaN;
  const k = Math.ceil(fraction * scores.length - 1e-9);
  const order = byScoreDesc(scores);
  let taken = 0;
  let found = 0;
  let i = 0;
  while (i < order.length && taken < k) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const size = j - i + 1;
    let posInGroup = 0;
    for (let t = i; t <= j; t++) if (labels[order[t]!] === 1) posInGroup++;
    const share = Math.min(size, k - taken) / size;
    found += posInGroup * share;
    taken += Math.min(size, k - taken);
    i = j + 1;
  }
  return found / totalPos;
}

/** Precision and recall when every row scoring at or above `threshold` is referred. */
export function precisionRecallAtThreshold(
  scores: readonly number[],
  labels: readonly number[],
  threshold: number,
): { precision: number; recall: number; flagged: number } {
  checkInputs(scores, labels);
  let tp = 0;
  let flagged = 0;
  let pos = 0;
  for (let i = 0; i < scores.length; i++) {
    const y = labels[i] === 1;
    if (y) pos++;
    if (scores[i]! >= threshold) {
      flagged++;
      if (y) tp++;
    }
  }
  return {
    precision: flagged === 0 ? Number.NaN : tp / flagged,
    recall: pos === 0 ? Number.NaN : tp / pos,
    flagged,
  };
}

/** Mean log-loss of probabilities (clipped away from 0 and 1). */
export function logLoss(probs: readonly number[], labels: readonly number[]): number {
  checkInputs(probs, labels);
  let s = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, probs[i]!));
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, probs.length);
}

/** Every metric `fraud:eval` prints, for one set of scores. */
export interface EvaluationReport {
  rows: number;
  positives: number;
  rocAuc: number;
  prAuc: number;
  recallAtTop10: number;
  recallAtTop20: number;
  threshold: number;
  precisionAtThreshold: number;
  recallAtThreshold: number;
  flaggedAtThreshold: number;
  logLoss: number;
}

/** Computes the full evaluation report for calibrated probabilities and a referral threshold. */
export function evaluate(
  probs: readonly number[],
  labels: readonly number[],
  threshold: number,
): EvaluationReport {
  const atThreshold = precisionRecallAtThreshold(probs, labels, threshold);
  return {
    rows: probs.length,
    positives: labels.reduce<number>((s, y) => s + (y === 1 ? 1 : 0), 0),
    rocAuc: rocAuc(probs, labels),
    prAuc: averagePrecision(probs, labels),
    recallAtTop10: recallAtTopFraction(probs, labels, 0.1),
    recallAtTop20: recallAtTopFraction(probs, labels, 0.2),
    threshold,
    precisionAtThreshold: atThreshold.precision,
    recallAtThreshold: atThreshold.recall,
    flaggedAtThreshold: atThreshold.flagged,
    logLoss: logLoss(probs, labels),
  };
}
