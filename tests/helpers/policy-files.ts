import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../lambdas/adapters/aws-clients.ts';
import { CSV_COLUMNS, importIdOf } from '../../lambdas/core/policy-import.ts';
import { POLICY_IMPORT_PREFIX } from '../../lambdas/task-functions.ts';

/** Policy import files for tests and the benchmark (the format of docs/policy-import.md). */
export type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>;

/** One motor own-damage cover row; override any column. */
export function motorRow(policyNumber: string, customerId: string, overrides: CsvRow = {}): CsvRow {
  return {
    policy_number: policyNumber,
    version: 1,
    change_type: 'new',
    product_code: 'MOTOR_OD',
    customer_id: customerId,
    holder_name: 'Nguyễn Văn Nhập',
    holder_id_number: '001085012345',
    effective_from: '2026-01-01',
    effective_to: '2026-12-31',
    status: 'in_force',
    premium: 9_800_000,
    insured_value: 650_000_000,
    add_ons: 'new_for_old',
    vehicle_plate: '30A-999.01',
    vehicle_make_model: 'Toyota Vios 2023',
    contact_name: 'Nguyễn Văn Nhập',
    contact_email: 'nhap@example.vn',
    contact_phone: '0912000111',
    cover_code: 'OD',
    cover_name_vi: 'Vật chất xe',
    cover_name_en: 'Own damage',
    cover_causes: 'collision;theft;fire;flood',
    sum_insured: 650_000_000,
    deductible_percent_bps: 1000,
    deductible_minimum: 500_000,
    deductible_waived_on_total_loss: 'true',
    ...overrides,
  };
}

const cell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** A CSV file: the full header, then the rows (raw strings are written as they are: bad lines). */
export function csvFile(rows: readonly (CsvRow | string)[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(typeof r === 'string' ? r : CSV_COLUMNS.map((c) => cell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Drops a file in the local import bucket (as the policy system would); returns the import id it starts. */
export async function dropPolicyFile(
  name: string,
  body: string | Buffer,
): Promise<{ importId: string; key: string }> {
  const bucket = process.env.POLICY_IMPORTS_BUCKET as string;
  const key = `${POLICY_IMPORT_PREFIX}${name}`;
  const r = await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return { importId: importIdOf(bucket, key, r.ETag ?? ''), key };
}
