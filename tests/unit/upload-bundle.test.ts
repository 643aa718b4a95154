import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { fileTypeFromBuffer } from 'file-type';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBankFiles } from '../../lambdas/adapters/bank-file-writer.ts';
import type { BankRow } from '../../lambdas/core/finance.ts';
import { type BundleFigure, bundleOne } from '../bench/bundles.ts';
import { runInFreshNode } from '../helpers/bundle-runs.ts';

/**
 * Upload verification's type detection as the Lambda bundle runs it: the bundles load file-type's
 * zip reader when a zip is first read (lib/bundling.ts aliases `@tokenizer/inflate` to
 * lambdas/runtime/lazy-zip-handler.ts), so the bundled detector must name every file as the
 * library does from source — zip containers (whose type is decided by the entries inside them),
 * whether deflated or stored, whole or only the first 4,100 bytes upload verification reads, and
 * files that are not zips.
 */
let dir: string;
let detector: BundleFigure;

/** An .xlsx as Excel would send it: deflated entries. */
async function deflatedWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Hoa don').addRow(['Sửa xe', 12_500_000]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An .xlsx with stored entries: the bank file's XLSX, from its own writer. */
async function storedWorkbook(): Promise<Buffer> {
  const xlsx = new PassThrough();
  const csv = new PassThrough();
  const bytes = buffer(xlsx);
  csv.resume();
  async function* rows(): AsyncGenerator<BankRow> {
    yield {
      seq: 1,
      beneficiaryName: 'NGUYEN VAN AN',
      accountNumber: '0123456789',
      bankName: 'Vietcombank',
      amount: 12_500_000,
      description: 'BOI THUONG HS 2026 000001',
      reference: 'HS-2026-000001',
    };
  }
  await writeBankFiles(rows(), { csv, xlsx });
  return bytes;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const JPEG = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
  Buffer.alloc(64),
]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'claims-upload-bundle-'));
  detector = await bundleOne(dir, 'file-type', 'tests/fixtures/bundles/file-type.ts');
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('file type detection in a Lambda bundle', () => {
  it('reaches the zip reader through the lazy wrapper', () => {
    expect(detector.inputs).toContain('lambdas/runtime/lazy-zip-handler.ts');
    expect(detector.inputs.some((p) => p.startsWith('node_modules/@tokenizer/inflate/'))).toBe(true);
  });

  it('names every file as the library does from source, zips included', async () => {
    const deflated = await deflatedWorkbook();
    const stored = await storedWorkbook();
    const files: Record<string, Buffer> = {
      'xlsx-deflated': deflated,
      'xlsx-deflated-head': deflated.subarray(0, 4100),
      'xlsx-stored': stored,
      'xlsx-stored-head': stored.subarray(0, 4100),
      png: PNG,
      jpeg: JPEG,
      pdf: PDF,
      text: Buffer.from('không phải tệp nhị phân'),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    const script = [
      "import { readFile } from 'node:fs/promises';",
      `const { fileTypeFromBuffer } = await import(${JSON.stringify(`file://${detector.outfile}`)});`,
      'const out = {};',
      `for (const name of ${JSON.stringify(Object.keys(files))}) {`,
      '  try { out[name] = (await fileTypeFromBuffer(await readFile(name))) ?? null; }',
      '  catch (e) { out[name] = { error: e.name }; }',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const bundled = (await runInFreshNode(dir, script)) as Record<string, unknown>;

    for (const [name, bytes] of Object.entries(files)) {
      let fromSource: unknown;
      try {
        fromSource = (await fileTypeFromBuffer(bytes)) ?? null;
      } catch (e) {
        fromSource = { error: (e as Error).name };
      }
      expect(bundled[name], name).toEqual(fromSource);
    }
    // The zip reader really ran: a zip is only an .xlsx because of what is inside it.
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    expect(bundled['xlsx-deflated']).toMatchObject({ ext: 'xlsx', mime: xlsx });
    expect(bundled['xlsx-stored']).toMatchObject({ ext: 'xlsx', mime: xlsx });
    expect(bundled.png).toMatchObject({ ext: 'png' });
    expect(bundled.pdf).toMatchObject({ ext: 'pdf' });
  });
});
