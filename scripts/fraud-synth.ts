/**
 * `npx tsx scripts/fraud-synth.ts --rows 15000 --seed 1 --out history.csv`
 * Writes a synthetic labelled claim history (see lambdas/core/fraud/synthetic.ts) for trying the
 * trainer, the benchmark and the shipped default model. Not real data.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { syntheticHistory } from '../lambdas/core/fraud/synthetic.ts';
import { required, runCli } from './fraud-cli.ts';

await runCli('fraud:synth', async () => {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } },
  });
  const out = required(values.out, 'out', 'fraud-synth.ts --rows <n> --seed <n> --out <file.csv>');
  const { rows } = syntheticHistory(Number(values.rows ?? 15000), Number(values.seed ?? 1));
  await writeFile(out, stringify(rows, { header: true }));
  console.log(`wrote ${rows.length} rows to ${out}`);
});
