import { performance } from 'node:perf_hooks';
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

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(benchFraudModel(), null, 2));
}
