import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { assessFraud } from '../../lambdas/core/fraud/assess.ts';
import { computeFeatures } from '../../lambdas/core/fraud/features.ts';
import { parseFraudModel } from '../../lambdas/core/fraud/model.ts';
import { compileRedFlags } from '../../lambdas/core/fraud/red-flags.ts';
import { rocAuc } from '../../lambdas/core/fraud/metrics.ts';
import { scoreRow, trainFraudModel } from '../../lambdas/core/fraud/model.ts';
import { syntheticHistory } from '../../lambdas/core/fraud/synthetic.ts';

/** Target for scoring one claim with the fraud model (the live path scores on every submission). */
export const TARGET_SCORE_MS = 1;

/**
 * Fraud model speed: training time on a synthetic history of `rows` claims (~24 columns, ~5%
 * fraud), and scoring time per claim. Pure CPU, no local stack needed.
 */
export function benchFraudModel(rows = Number(process.env.BENCH_FRAUD_ROWS ?? 100_000)) {
  const { rows: history } = syntheticHistory(rows + 5000, 2026);
  const train = history.slice(0, rows);
  const test = history.slice(rows);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { model } = trainFraudModel(train, { label: 'FraudFound_P', trainedAt: new Date().toISOString() });
  const trainMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const scores = test.map((r) => scoreRow(model, r).score);
  const scoreMs = (performance.now() - t1) / test.length;
  return {
    trainRows: rows,
    trainSeconds: Math.round(trainMs / 100) / 10,
    trainCpuSeconds: Math.round((cpu.user + cpu.system) / 100_000) / 10,
    trees: model.gbdt.trees.length,
    modelKB: Math.round(JSON.stringify(model).length / 1024),
    scoreMsPerClaim: Math.round(scoreMs * 1000) / 1000,
    scoreTargetMs: TARGET_SCORE_MS,
    outOfTimeRocAuc:
      Math.round(
        rocAuc(
          scores,
          test.map((r) => Number(r.FraudFound_P)),
        ) * 1e4,
      ) / 1e4,
  };
}

/**
 * The live path per claim, as the workflow's CheckClaim step scores it once its inputs are loaded:
 * the feature catalogue, the red-flag rules (json-rules-engine) and the shipped model with its
 * contributions. Claims vary (dates, amounts, history) so no branch is always cold.
 */
export async function benchLiveScoring(claims = Number(process.env.BENCH_FRAUD_LIVE ?? 20_000)) {
  const model = parseFraudModel(JSON.parse(readFileSync('lambdas/config/fraud-model.json', 'utf8')));
  const rules = compileRedFlags(JSON.parse(readFileSync('lambdas/config/fraud-rules.json', 'utf8')));
  const DAY = 86_400_000;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const history = Array.from({ length: 6 }, (_, i) => ({
    claimId: `h${i}`,
    submittedAt: new Date(start + i * 40 * DAY).toISOString(),
    lossAt: new Date(start + i * 40 * DAY - DAY).toISOString(),
    payoutAccountFingerprint: `fp${i % 2}`,
  }));
  const one = (i: number) => {
    const loss = start + (i % 360) * DAY;
    const row = computeFeatures(
      {
        claimId: `c${i}`,
        productCode: 'MOTOR_OD',
        cause: 'collision',
        channel: i % 5 === 0 ? 'phone' : 'web',
        submittedAt: new Date(loss + (i % 40) * DAY).toISOString(),
        lossAt: new Date(loss).toISOString(),
        estimatedAmount: 1_000_000 + (i % 97) * 250_000,
        facts: {
          kind: 'motor',
          policeAttended: i % 3 === 0,
          fault: i % 2 ? 'policy_holder' : 'third_party',
          vehicleYear: 2010 + (i % 15),
        },
        filedByStaff: i % 7 === 0,
        payoutAccountFingerprint: `fp${i % 3}`,
        contactChanged: i % 11 === 0,
        supplementarySubmissions: i % 4,
      },
      {
        effectiveFrom: new Date(start).toISOString(),
        effectiveTo: new Date(start + 364 * DAY).toISOString(),
        sumInsured: 400_000_000,
        vehicleMakeModel: 'Toyota Vios',
      },
      {
        customerClaims: history,
        typicalAmount: 12_000_000,
        authorityThresholds: [10_000_000, 50_000_000, 500_000_000],
        linkedClaims: i % 9 === 0 ? 1 : 0,
      },
    );
    return assessFraud(row, rules, model);
  };
  for (let i = 0; i < 500; i++) await one(i); // warm-up
  const t0 = performance.now();
  let referred = 0;
  for (let i = 0; i < claims; i++) if ((await one(i)).refer) referred++;
  const ms = (performance.now() - t0) / claims;
  return {
    liveClaims: claims,
    liveScoreMsPerClaim: Math.round(ms * 1000) / 1000,
    liveReferredShare: Math.round((referred / claims) * 1000) / 1000,
    scoreTargetMs: TARGET_SCORE_MS,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ ...benchFraudModel(), ...(await benchLiveScoring()) }, null, 2));
}
