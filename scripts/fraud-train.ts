/**
 * `npm run fraud:train -- --csv history.csv --label FraudFound_P --out model.json [--drop PolicyNumber]…`
 * Trains the fraud scorer from the insurer's labelled claim history (rows oldest first) and writes
 * the versioned model file the live scorer loads. See docs/fraud-model.md.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { FraudDataError } from '../lambdas/core/fraud/columns.ts';
import { trainFraudModel } from '../lambdas/core/fraud/model.ts';
import { fmt, readCsvRows, required, runCli } from './fraud-cli.ts';

const USAGE =
  'fraud:train -- --csv <file> --label <column> --out <model.json> [--drop <column>]… [--validation-share 0.2]';

await runCli('fraud:train', async () => {
  const { values } = parseArgs({
    options: {
      csv: { type: 'string' },
      label: { type: 'string' },
      out: { type: 'string' },
      drop: { type: 'string', multiple: true },
      'validation-share': { type: 'string' },
    },
  });
  const csv = required(values.csv, 'csv', USAGE);
  const label = required(values.label, 'label', USAGE);
  const out = required(values.out, 'out', USAGE);
  const share = values['validation-share'] === undefined ? 0.2 : Number(values['validation-share']);
  if (!(share > 0 && share < 0.9))
    throw new FraudDataError('USAGE', '--validation-share must be in (0, 0.9)');
  const rows = await readCsvRows(csv);
  if (!(label in rows[0]!)) {
    throw new FraudDataError(
      'LABEL_COLUMN_MISSING',
      `label column "${label}" not in ${csv} (columns: ${Object.keys(rows[0]!).join(', ')})`,
    );
  }
  const started = performance.now();
  const { model, validation, skippedRows } = trainFraudModel(rows, {
    label,
    drop: values.drop ?? [],
    trainedAt: new Date().toISOString(),
    validationShare: share,
  });
  try {
    await writeFile(out, `${JSON.stringify(model)}\n`);
  } catch (e) {
    throw new FraudDataError('FILE_UNREADABLE', `cannot write ${out}: ${(e as Error).message}`);
  }
  const lines = [
    `model: ${out}`,
    `rows: ${model.training.rows}`,
    `positives: ${model.training.positives}`,
    `skipped rows (no label): ${skippedRows}`,
    `features: ${model.features.map((f) => `${f.name}(${f.kind}${f.kind === 'categorical' && f.ordinal ? '+ordinal' : ''})`).join(', ')}`,
    `trees: ${model.gbdt.trees.length}`,
    `logistic L2: ${model.logistic.l2}`,
    `blend: logistic ${fmt(model.blend.a)}, trees ${fmt(model.blend.b)}`,
    `referral threshold: ${fmt(model.referralThreshold)} (${model.referralRule})`,
    `validation ROC-AUC: ${fmt(validation.rocAuc)}`,
    `validation PR-AUC: ${fmt(validation.prAuc)}`,
    `training seconds: ${((performance.now() - started) / 1000).toFixed(1)}`,
  ];
  console.log(lines.join('\n'));
});
