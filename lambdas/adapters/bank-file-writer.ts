import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { BANK_FILE_COLUMNS, type BankRow, bankRowValues } from '../core/finance.ts';

/** Excel's limit is 1,048,576 rows a sheet; a longer batch continues on the next sheet. */
const ROWS_PER_SHEET = 1_000_000;
/** How often the producer checks the XLSX backlog (rows), and the backlog it lets build up. */
const CHECK_EVERY = 500;
const MAX_XLSX_BACKLOG = 4 * 1024 * 1024;

/**
 * Bytes of sheet XML written but not yet taken by the zip. exceljs' streaming writer has no
 * back-pressure of its own (its sheet stream buffers whatever it is given and writes on to the
 * zip without waiting), so a fast producer would hold the whole sheet in memory; this reads its
 * buffers to wait for the zip instead. Internal fields: pinned by the exceljs version in use.
 */
function xlsxBacklog(sheet: ExcelJS.Worksheet): number {
  const s = (
    sheet as unknown as {
      stream?: { buffers?: { length?: number }[]; pipes?: { writableLength?: number }[] };
    }
  ).stream;
  let n = 0;
  for (const b of s?.buffers ?? []) n += typeof b.length === 'number' ? b.length : 0;
  for (const p of s?.pipes ?? []) n += p.writableLength ?? 0;
  return n;
}

export interface BankFileTotals {
  count: number;
  total: number;
}

/**
 * Writes the bank's bulk-transfer file twice in one pass over the rows — CSV (csv-stringify) and
 * XLSX (exceljs' streaming WorkbookWriter, no shared strings, no styles) — into two writables
 * (S3 multipart uploads in production and in the benchmark). Rows are never collected: memory is
 * bounded by the streams' buffers, whatever the number of payouts.
 */
export async function writeBankFiles(
  rows: AsyncIterable<BankRow>,
  out: { csv: Writable; xlsx: Writable },
): Promise<BankFileTotals> {
  const csv = stringify({
    header: true,
    columns: BANK_FILE_COLUMNS.map((c) => ({ key: c.key, header: c.header })),
  });
  const csvDone = pipeline(csv, out.csv);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out.xlsx,
    useSharedStrings: false,
    useStyles: false,
  });
  const columns = BANK_FILE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: 24 }));
  let sheet: ExcelJS.Worksheet | undefined;
  let sheetRows = 0;
  const totals: BankFileTotals = { count: 0, total: 0 };
  try {
    for await (const row of rows) {
      if (!sheet || sheetRows >= ROWS_PER_SHEET) {
        sheet?.commit();
        sheet = workbook.addWorksheet(`Lenh chi ${Math.floor(totals.count / ROWS_PER_SHEET) + 1}`);
        sheet.columns = columns;
        sheetRows = 0;
      }
      // The account number stays text (leading zeros); the amount is a number (integer VND).
      sheet.addRow(bankRowValues(row)).commit();
      sheetRows += 1;
      totals.count += 1;
      totals.total += row.amount;
      if (!csv.write(row)) await once(csv, 'drain');
      if (totals.count % CHECK_EVERY === 0) {
        while (xlsxBacklog(sheet) > MAX_XLSX_BACKLOG) await new Promise((r) => setTimeout(r, 2));
      }
    }
    if (!sheet) {
      sheet = workbook.addWorksheet('Lenh chi 1');
      sheet.columns = columns;
    }
    sheet.commit();
    csv.end();
    await Promise.all([csvDone, workbook.commit()]);
    return totals;
  } catch (e) {
    csv.destroy(e as Error);
    out.csv.destroy(e as Error);
    out.xlsx.destroy(e as Error);
    throw e;
  }
}
