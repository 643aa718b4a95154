/**
 * exceljs' streaming XLSX writer on its own (`exceljs/lib/stream/xlsx/workbook-writer.js`), typed
 * as the class the package's root exports as `stream.xlsx.WorkbookWriter`. The package declares
 * types only for its root, and the root also loads the whole-workbook reader and writer, the CSV
 * reader and the streaming reader (jszip, unzipper, bluebird, fast-csv, dayjs: ~600 KB of bundle)
 * that the bank file never uses.
 */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  import type { stream } from 'exceljs';

  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export default WorkbookWriter;
}
