/**
 * Shared plumbing of the fraud-model command-line tools: streamed CSV reading and coded exits.
 * Exit code 2 with `<tool>: <CODE>: <message>` on stderr for bad input (missing label column,
 * unreadable file, bad arguments); the pure training code lives in lambdas/core/fraud.
 */
import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { FraudDataError, type RawRow } from '../lambdas/core/fraud/columns.ts';

/** Reads a CSV with a header row into rows keyed by column name (values stay text). */
export async function readCsvRows(path: string): Promise<RawRow[]> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new FraudDataError('FILE_UNREADABLE', `cannot read ${path}`);
  }
  const rows: RawRow[] = [];
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }),
  );
  try {
    for await (const record of parser) rows.push(record as RawRow);
  } catch (e) {
    throw new FraudDataError('FILE_UNREADABLE', `cannot parse ${path} as CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new FraudDataError('FILE_UNREADABLE', `${path} has no data rows`);
  return rows;
}

/** Runs a CLI body; coded input errors exit 2, anything else exits 1. */
export async function runCli(tool: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof FraudDataError) {
      console.error(`${tool}: ${e.code}: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${tool}: USAGE: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`${tool}: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  }
}

/** Throws a USAGE error naming the missing option. */
export function required(value: string | undefined, name: string, usage: string): string {
  if (!value) throw new FraudDataError('USAGE', `--${name} is required\nusage: ${usage}`);
  return value;
}

/** Formats a metric for `name: value` output (4 decimals; "n/a" when undefined, e.g. no positives). */
export const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');
