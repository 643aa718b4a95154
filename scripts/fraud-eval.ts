/**
 * `npm run fraud:eval -- --model model.json --csv labelled.csv --label FraudFound_P`
 * Scores labelled claims with a model file and prints one `name: value` per line: ROC-AUC, PR-AUC
 * (average precision), recall in the top 10% / 20% of scores, precision and recall at the model's
 * referral threshold. Out-of-time: train on older rows, evaluate on newer ones.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FraudDataError } from '../lambdas/core/fraud/columns.ts';
import { evaluateModel, parseFraudModel } from '../lambdas/core/fraud/model.ts';
import { fmt, readCsvRows, required, runCli } from './fraud-cli.ts';

const USAGE = 'fraud:eval -- --model <model.json> --csv <file> --label <column>';

await runCli('fraud:eval', async () => {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, csv: { type: 'string' }, label: { type: 'string' } },
  });
  const modelPath = required(values.model, 'model', USAGE);
  const csv = required(values.csv, 'csv', USAGE);
  const label = required(values.label, 'label', USAGE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(modelPath, 'utf8'));
  } catch (e) {
    throw new FraudDataError('FILE_UNREADABLE', `cannot read model ${modelPath}: ${(e as Error).message}`);
  }
  const model = parseFraudModel(json);
  const rows = await readCsvRows(csv);
  if (!(label in rows[0]!)) {
    throw new FraudDataError('LABEL_COLUMN_MISSING', `label column "${label}" not in ${csv}`);
  }
  const { report: r, skippedRows } = evaluateModel(model, rows, label);
  const lines = [
    `rows: ${r.rows}`,
    `positives: ${r.positives}`,
    `skipped rows (no label): ${skippedRows}`,
    `ROC-AUC: ${fmt(r.rocAuc)}`,
    `PR-AUC: ${fmt(r.prAuc)}`,
    `Recall@10%: ${fmt(r.recallAtTop10)}`,
    `Recall@20%: ${fmt(r.recallAtTop20)}`,
    `Referral threshold: ${fmt(r.threshold)}`,
    `Precision@threshold: ${fmt(r.precisionAtThreshold)}`,
    `Recall@threshold: ${fmt(r.recallAtThreshold)}`,
    `Flagged@threshold: ${r.flaggedAtThreshold}`,
    `Log-loss: ${fmt(r.logLoss)}`,
  ];
  console.log(lines.join('\n'));
});
