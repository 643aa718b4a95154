import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFraudModel } from '../../lambdas/core/fraud/model.ts';
import { syntheticHistory } from '../../lambdas/core/fraud/synthetic.ts';

/** The two CLIs run as the operator runs them (tsx on a real CSV file), out of time. */
const run = promisify(execFile);
const tsx = (script: string, args: string[]) =>
  run('npx', ['tsx', `scripts/${script}.ts`, ...args], { cwd: process.cwd(), timeout: 240_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fraud-cli-'));
  const { rows } = syntheticHistory(6000, 21);
  // Y/N labels, as some insurers export them
  const yn = rows.map((r) => ({ ...r, FraudFound_P: r.FraudFound_P === 1 ? 'Y' : 'N' }));
  await writeFile(join(dir, 'older.csv'), stringify(yn.slice(0, 4800), { header: true }));
  await writeFile(join(dir, 'newer.csv'), stringify(yn.slice(4800), { header: true }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fraud:train and fraud:eval', () => {
  it('trains on older rows, writes a model file and evaluates it on newer rows', async () => {
    const model = join(dir, 'model.json');
    const train = await tsx('fraud-train', [
      '--csv',
      join(dir, 'older.csv'),
      '--label',
      'FraudFound_P',
      '--out',
      model,
      '--drop',
      'Year',
      '--drop',
      'Month',
    ]);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^rows: 4800$/m);
    const parsed = parseFraudModel(JSON.parse(await readFile(model, 'utf8')));
    expect(parsed.features.map((f) => f.name)).not.toContain('Year');
    expect(parsed.features.map((f) => f.name)).not.toContain('Month');

    const evaluation = await tsx('fraud-eval', [
      '--model',
      model,
      '--csv',
      join(dir, 'newer.csv'),
      '--label',
      'FraudFound_P',
    ]);
    expect(evaluation.code).toBe(0);
    const metrics = Object.fromEntries(
      evaluation.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    expect(Object.keys(metrics)).toEqual(
      expect.arrayContaining([
        'ROC-AUC',
        'PR-AUC',
        'Recall@10%',
        'Recall@20%',
        'Precision@threshold',
        'Recall@threshold',
      ]),
    );
    expect(metrics.rows).toBe('1200');
    expect(metrics['ROC-AUC']).toMatch(/^0\.\d{4}$/);
    expect(Number(metrics['ROC-AUC'])).toBeGreaterThan(0.68);
    expect(Number(metrics['Recall@20%'])).toBeGreaterThan(Number(metrics['Recall@10%']));
  });

  it('exits 2 with a coded message for a missing label column or an unreadable file', async () => {
    const noLabel = await tsx('fraud-train', [
      '--csv',
      join(dir, 'older.csv'),
      '--label',
      'IsFraud',
      '--out',
      join(dir, 'x.json'),
    ]);
    expect(noLabel.code).toBe(2);
    expect(noLabel.stderr).toMatch(/^fraud:train: LABEL_COLUMN_MISSING: label column "IsFraud"/);

    const noFile = await tsx('fraud-eval', [
      '--model',
      join(dir, 'missing.json'),
      '--csv',
      join(dir, 'newer.csv'),
      '--label',
      'FraudFound_P',
    ]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^fraud:eval: FILE_UNREADABLE: /);

    const usage = await tsx('fraud-train', ['--csv', join(dir, 'older.csv')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/USAGE: --label is required/);
  });
});
