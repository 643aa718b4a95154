import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Worksheet } from 'exceljs';
// The streaming writer alone, not the package root (see exceljs-workbook-writer.d.ts).
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
import { BANK_FILE_COLUMNS, type BankRow, bankRowValues } from '../core/finance.ts';

/** Excel's limit is 1,048,576 rows a sheet; a longer batch continues on the next sheet. */
const ROWS_PER_SHEET = 1_000_000;
/** How often the producer checks the XLSX backlog (rows), and the backlog it lets build up. */
const CHECK_EVERY = 500;
const MAX_XLSX_BACKLOG = 4 * 1024 * 1024;

type Writes = { write: (chunk: { length?: number }, ...rest: unknown[]) => unknown };

/**
 * Counts the bytes passing through a stream's `write`. exceljs' streaming writer has no
 * back-pressure of its own (its sheet stream hands everything to the zip at once), so a fast
 * producer would pile the sheet up in memory; comparing what went into the sheet with what reached
 * the output (the zip is stored, so they match) lets the producer wait for the upload instead.
 */
function countWrites(stream: Writes, counter: { bytes: number }): void {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    counter.bytes += chunk?.length ?? 0;
    return write(chunk, ...rest);
  };
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
  const workbook = new WorkbookWriter({
    stream: out.xlsx,
    useSharedStrings: false,
    useStyles: false,
    // Stored, not deflated: exceljs writes sheet XML into the zip without waiting for zlib, so
    // with compression a large sheet piles up in deflate's queue (≈ 300 MB for a million rows);
    // stored entries flow at the pace of the upload. The file is larger, the memory bounded.
    zip: { store: true },
  } as ConstructorParameters<typeof WorkbookWriter>[0]);
  const columns = BANK_FILE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: 24 }));
  const produced = { bytes: 0 };
  const delivered = { bytes: 0 };
  countWrites(out.xlsx as unknown as Writes, delivered);
  let sheet: Worksheet | undefined;
  let sheetRows = 0;
  const totals: BankFileTotals = { count: 0, total: 0 };
  try {
    for await (const row of rows) {
      if (!sheet || sheetRows >= ROWS_PER_SHEET) {
        sheet?.commit();
        sheet = workbook.addWorksheet(`Lenh chi ${Math.floor(totals.count / ROWS_PER_SHEET) + 1}`);
        sheet.columns = columns;
        countWrites((sheet as unknown as { stream: Writes }).stream, produced);
        sheetRows = 0;
      }
      // The account number stays text (leading zeros); the amount is a number (integer VND).
      sheet.addRow(bankRowValues(row)).commit();
      sheetRows += 1;
      totals.count += 1;
      totals.total += row.amount;
      if (!csv.write(row)) await once(csv, 'drain');
      if (totals.count % CHECK_EVERY === 0) {
        while (produced.bytes - delivered.bytes > MAX_XLSX_BACKLOG)
          await new Promise((r) => setTimeout(r, 2));
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
