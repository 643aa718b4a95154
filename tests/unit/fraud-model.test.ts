import { beforeAll, describe, expect, it } from 'vitest';
import { FraudDataError, type RawRow } from '../../lambdas/core/fraud/columns.ts';
import { averagePrecision, rocAuc } from '../../lambdas/core/fraud/metrics.ts';
import {
  evaluateModel,
  type FraudModel,
  parseFraudModel,
  scoreRow,
  trainFraudModel,
} from '../../lambdas/core/fraud/model.ts';
import { NOISE_COLUMNS, PLANTED_COLUMNS, syntheticHistory } from '../../lambdas/core/fraud/synthetic.ts';

const LABEL = 'FraudFound_P';
const N = 20_000;
const history = syntheticHistory(N, 11);
const cut = Math.round(N * 0.8);
const older = history.rows.slice(0, cut);
const newer = history.rows.slice(cut);
const newerLabels = newer.map((r) => Number(r[LABEL]));
const logit = (p: number) => Math.log(p / (1 - p));

let model: FraudModel;
beforeAll(() => {
  // out of time: learn from the older 80%, judge on the newest 20%
  model = trainFraudModel(older, {
    label: LABEL,
    drop: ['Year', 'Month'],
    trainedAt: '2026-12-02T00:00:00Z',
  }).model;
}, 300_000);

function importance(m: FraudModel, rows: RawRow[]): Map<string, number> {
  const imp = new Map<string, number>();
  for (const r of rows) {
    for (const c of scoreRow(m, r).contributions) {
      imp.set(c.feature, (imp.get(c.feature) ?? 0) + Math.abs(c.contribution) / rows.length);
    }
  }
  return imp;
}

describe('training on a synthetic history with planted signals', () => {
  it('ranks newer claims close to the true probabilities (the best any model can do)', () => {
    const probs = newer.map((r) => scoreRow(model, r).score);
    const truth = history.truth.slice(cut);
    const oracleAuc = rocAuc(truth, newerLabels);
    const oracleAp = averagePrecision(truth, newerLabels);
    const auc = rocAuc(probs, newerLabels);
    const ap = averagePrecision(probs, newerLabels);
    // ~4,000 test rows with ~230 frauds: the AUC's standard error is ≈0.015, so within 0.035 of the
    // oracle means the model found nearly all the signal there is; a coin is 0.5.
    expect(auc).toBeGreaterThan(oracleAuc - 0.035);
    expect(auc).toBeGreaterThan(0.72);
    expect(ap).toBeGreaterThan(oracleAp * 0.75);
    expect(ap).toBeGreaterThan(2.5 * (newerLabels.filter((y) => y === 1).length / newer.length));
  });

  it('is calibrated: the mean score is close to the observed fraud rate', () => {
    const mean = newer.reduce((s, r) => s + scoreRow(model, r).score, 0) / newer.length;
    const rate = newerLabels.reduce((s, y) => s + y, 0) / newer.length;
    expect(mean).toBeGreaterThan(rate * 0.75);
    expect(mean).toBeLessThan(rate * 1.33);
  });

  it('puts planted signals on top and gives pure-noise columns little weight', () => {
    const imp = importance(model, newer.slice(0, 2000));
    const ranked = [...imp.entries()].sort((a, b) => b[1] - a[1]);
    const planted = new Set<string>(PLANTED_COLUMNS);
    expect(ranked.slice(0, 5).every(([name]) => planted.has(name))).toBe(true);
    const top = ranked[0]![1];
    for (const noise of NOISE_COLUMNS) expect(imp.get(noise) ?? 0).toBeLessThan(0.25 * top);
    // the logistic part agrees on the direction of the strongest signals
    const w = model.logistic.weights;
    expect(w['Fault=Policy Holder']!).toBeGreaterThan(w['Fault=Third Party']!);
    expect(w['AddressChange_Claim=under 6 months']!).toBeGreaterThan(w['AddressChange_Claim=no change']!);
    expect(w['BasePolicy=All Perils']!).toBeGreaterThan(w['BasePolicy=Liability']!);
  });

  it('finds a rare but strong band: a claim days after the policy starts', () => {
    const row = { ...newer[0]!, Days_Policy_Accident: 'more than 30' };
    const early = { ...row, Days_Policy_Accident: 'none' };
    const c = (r: RawRow) =>
      scoreRow(model, r).contributions.find((x) => x.feature === 'Days_Policy_Accident')!.contribution;
    expect(c(early) - c(row)).toBeGreaterThan(0.7); // planted +1.4 in log-odds
    expect(scoreRow(model, early).score).toBeGreaterThan(scoreRow(model, row).score);
  });

  it('types columns: ordinal bands keep a one-hot and gain an ordinal; ids and dropped columns are left out', () => {
    const byName = new Map(model.features.map((f) => [f.name, f]));
    const price = byName.get('VehiclePrice');
    expect(price?.kind === 'categorical' && price.ordinal !== undefined).toBe(true);
    const past = byName.get('PastNumberOfClaims');
    expect(past?.kind === 'categorical' && past.ordinal !== undefined).toBe(true);
    const area = byName.get('AccidentArea');
    expect(area?.kind === 'categorical' && area.ordinal === undefined).toBe(true);
    expect(byName.get('ClaimAmount')?.kind).toBe('numeric');
    expect(byName.has('PolicyNumber')).toBe(false); // every value unique: an identifier
    expect(byName.has('Year')).toBe(false);
    expect(byName.has(LABEL)).toBe(false);
    const garage = byName.get('GarageCode');
    // 400 garage codes, many rare: at most 200 kept levels, the rest grouped as "other"
    expect(garage?.kind).toBe('categorical');
    if (garage?.kind === 'categorical') {
      expect(garage.levels.length).toBeLessThanOrEqual(200);
      expect(garage.treeOrder).toContain('(other)');
    }
  });
});

describe('scoring one claim', () => {
  it('explains the score exactly: baseline + Σ contributions = logit(score), largest first', () => {
    for (const row of newer.slice(0, 50)) {
      const r = scoreRow(model, row);
      const sum = r.contributions.reduce((s, c) => s + c.contribution, r.baseline);
      expect(sum).toBeCloseTo(logit(r.score), 9);
      expect(r.contributions).toHaveLength(model.features.length);
      for (let i = 1; i < r.contributions.length; i++) {
        expect(Math.abs(r.contributions[i - 1]!.contribution)).toBeGreaterThanOrEqual(
          Math.abs(r.contributions[i]!.contribution),
        );
      }
      expect(r.refer).toBe(r.score >= model.referralThreshold);
    }
  });

  it('accepts unseen levels, missing cells and absent columns', () => {
    const r = scoreRow(model, { Make: 'Tesla', ClaimAmount: '?', Fault: null });
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThan(1);
    expect(r.contributions.find((c) => c.feature === 'Make')?.value).toBe('Tesla');
    expect(r.contributions.find((c) => c.feature === 'Fault')?.value).toBeNull();
  });
});

describe('the model file', () => {
  it('is a small versioned JSON that scores the same after a round trip', () => {
    const text = JSON.stringify(model);
    expect(text.length).toBeLessThan(200_000);
    const loaded = parseFraudModel(JSON.parse(text));
    expect(loaded).toMatchObject({ format: 'claims-fraud-model', version: 1, label: LABEL });
    expect(loaded.referralThreshold).toBeGreaterThan(0);
    for (const row of newer.slice(0, 20))
      expect(scoreRow(loaded, row).score).toBe(scoreRow(model, row).score);
  });

  it('refuses a file of another format or version', () => {
    const wrong = [{ ...model, format: 'something-else' }, { ...model, version: 2 }, { hello: 1 }];
    for (const w of wrong) {
      expect(() => parseFraudModel(w)).toThrow(FraudDataError);
    }
  });

  it('evaluates labelled rows at the referral threshold, skipping unlabelled ones', () => {
    const rows = [...newer.slice(0, 500), { ...newer[0]!, [LABEL]: '' }];
    const { report, skippedRows } = evaluateModel(model, rows, LABEL);
    expect(skippedRows).toBe(1);
    expect(report.rows).toBe(500);
    expect(report.threshold).toBe(model.referralThreshold);
  });
});

describe('training input errors are coded', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as FraudDataError).code;
    }
    return 'none';
  };
  const small = history.rows.slice(0, 400);
  it.each([
    ['LABEL_COLUMN_MISSING', () => trainFraudModel(small, { label: 'Nope', trainedAt: 'x' })],
    [
      'SINGLE_CLASS',
      () =>
        trainFraudModel(
          small.map((r) => ({ ...r, [LABEL]: 'N' })),
          { label: LABEL, trainedAt: 'x' },
        ),
    ],
    ['TOO_FEW_ROWS', () => trainFraudModel(small.slice(0, 30), { label: LABEL, trainedAt: 'x' })],
    [
      'LABEL_VALUE_INVALID',
      () =>
        trainFraudModel(
          small.map((r) => ({ ...r, [LABEL]: 'maybe' })),
          { label: LABEL, trainedAt: 'x' },
        ),
    ],
    [
      'NO_FEATURES',
      () =>
        trainFraudModel(
          small.map((r) => ({ id: r.PolicyNumber, [LABEL]: r[LABEL] })),
          { label: LABEL, trainedAt: 'x' },
        ),
    ],
  ])('%s', (expected, f) => {
    expect(code(f)).toBe(expected);
  });
});

describe('training on a history with categorical interactions', () => {
  it('uses the trees where a purely additive model falls short, and stays near the oracle', () => {
    const h = syntheticHistory(N, 12, { interactions: true });
    const { model: m } = trainFraudModel(h.rows.slice(0, cut), {
      label: LABEL,
      drop: ['Year', 'Month'],
      trainedAt: '2026-12-02T00:00:00Z',
    });
    const test = h.rows.slice(cut);
    const labels = test.map((r) => Number(r[LABEL]));
    const auc = rocAuc(
      test.map((r) => scoreRow(m, r).score),
      labels,
    );
    expect(auc).toBeGreaterThan(rocAuc(h.truth.slice(cut), labels) - 0.035);
    // the blend gives the trees real weight and beats the logistic part alone on the held-out fold
    expect(m.blend.b).toBeGreaterThan(0.2);
    expect(m.gbdt.trees.length).toBeGreaterThan(10);
    expect(m.validation.rocAuc!).toBeGreaterThan(m.validation.logisticRocAuc!);
    expect(m.validation.prAuc!).toBeGreaterThan(m.validation.logisticPrAuc!);
  }, 300_000);
});
