import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  evaluate,
  logLoss,
  precisionRecallAtThreshold,
  recallAtTopFraction,
  rocAuc,
} from '../../lambdas/core/fraud/metrics.ts';
import { rng } from '../../lambdas/core/fraud/gbdt.ts';

/** Brute-force AUC: share of (positive, negative) pairs ranked right, ties count ½. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let good = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) good += 1;
      else if (scores[i] === scores[j]) good += 0.5;
    }
  }
  return good / pairs;
}

describe('fraud metrics, hand-checked', () => {
  // sorted by score: 0.8 (fraud), 0.4 (ok), 0.35 (fraud), 0.1 (ok)
  const scores = [0.1, 0.4, 0.35, 0.8];
  const labels = [0, 0, 1, 1];

  it('ROC-AUC counts correctly ordered pairs: 3 of 4', () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(0.75, 12);
  });

  it('PR-AUC is average precision: ½·1 + ½·⅔', () => {
    expect(averagePrecision(scores, labels)).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('recall in the top k% of scores', () => {
    expect(recallAtTopFraction(scores, labels, 0.25)).toBe(0.5); // top 1 row: the 0.8 fraud
    expect(recallAtTopFraction(scores, labels, 0.5)).toBe(0.5); // + 0.4, not fraud
    expect(recallAtTopFraction(scores, labels, 0.75)).toBe(1);
    expect(recallAtTopFraction(scores, labels, 1)).toBe(1);
  });

  it('precision and recall at a threshold (score ≥ threshold is referred)', () => {
    expect(precisionRecallAtThreshold(scores, labels, 0.35)).toEqual({
      precision: 2 / 3,
      recall: 1,
      flagged: 3,
    });
    expect(precisionRecallAtThreshold(scores, labels, 0.5)).toEqual({
      precision: 1,
      recall: 0.5,
      flagged: 1,
    });
    expect(precisionRecallAtThreshold(scores, labels, 0.9).precision).toBeNaN();
  });

  it('ties: a tied positive/negative pair counts one half; a tied group is one PR threshold', () => {
    expect(rocAuc([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(averagePrecision([0.5, 0.5, 0.2], [1, 0, 0])).toBeCloseTo(0.5, 12);
    // all scores equal: no ranking at all
    expect(rocAuc([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1])).toBe(0.5);
    expect(averagePrecision([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1])).toBe(0.5);
  });

  it('recall@k splits a tied group at the cut in proportion', () => {
    // top 40% of 5 = 2 rows: the 0.9 (not fraud) and one of three tied 0.5s (one is fraud) → ⅓ of 2 frauds
    const s = [0.9, 0.5, 0.5, 0.5, 0.1];
    const y = [0, 1, 0, 0, 1];
    expect(recallAtTopFraction(s, y, 0.4)).toBeCloseTo(1 / 6, 12);
    expect(recallAtTopFraction(s, y, 0.2)).toBe(0);
    expect(recallAtTopFraction([...s].reverse(), [...y].reverse(), 0.4)).toBeCloseTo(1 / 6, 12);
  });

  it('perfect and reversed rankings; one class only is undefined', () => {
    expect(rocAuc([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.9], [1, 1, 0])).toBe(0);
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNaN();
  });

  it('ROC-AUC matches the pairwise definition on random scores with many ties', () => {
    const r = rng(42);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(r() * 60);
      const s = Array.from({ length: n }, () => Math.floor(r() * 6) / 5);
      const y = Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
      if (!y.includes(1) || !y.includes(0)) continue;
      expect(rocAuc(s, y)).toBeCloseTo(pairwiseAuc(s, y), 12);
    }
  });

  it('log-loss and the combined report', () => {
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 12);
    const report = evaluate(scores, labels, 0.35);
    expect(report).toMatchObject({
      rows: 4,
      positives: 2,
      rocAuc: 0.75,
      recallAtTop10: 0.5,
      recallAtTop20: 0.5,
      precisionAtThreshold: 2 / 3,
      recallAtThreshold: 1,
      flaggedAtThreshold: 3,
    });
  });

  it('rejects mismatched inputs', () => {
    expect(() => rocAuc([0.1], [1, 0])).toThrow(RangeError);
    expect(() => recallAtTopFraction([0.1], [1], 0)).toThrow(RangeError);
  });
});
