import type { ZipHandler as InflateZipHandler } from '@tokenizer/inflate';

/**
 * file-type's zip reader for the upload functions' bundles, loaded when a zip is first read rather
 * than when the bundle is imported. lib/bundling.ts (`LAMBDA_BUNDLE.alias`) points
 * `@tokenizer/inflate` here, for the bundles only.
 *
 * file-type imports `@tokenizer/inflate` to look inside zip containers (an .xlsx or .docx is a zip).
 * That module imports fflate, which builds its Huffman tables when it is evaluated, and `debug`,
 * which sets itself up: VerifyUpload's cold import went from 216 to 158 ms without them (15
 * interleaved cold processes each), paid by every upload though most (photos, PDFs, XML invoices)
 * are not zips. file-type only ever does `new ZipHandler(tokenizer).unzip(onFile)`; here that call imports
 * the library (the bundle keeps it, evaluated on first use) and hands over to it, so what it finds
 * is the library's own (tests/unit/upload-bundle.test.ts compares the bundle with the source).
 */
export class ZipHandler {
  readonly #tokenizer: ConstructorParameters<typeof InflateZipHandler>[0];

  constructor(tokenizer: ConstructorParameters<typeof InflateZipHandler>[0]) {
    this.#tokenizer = tokenizer;
  }

  async unzip(onFile: Parameters<InflateZipHandler['unzip']>[0]): Promise<void> {
    // The library itself, by path: the bare name is this file in the bundles.
    const inflate = await import('../../node_modules/@tokenizer/inflate/lib/index.js');
    return new inflate.ZipHandler(this.#tokenizer).unzip(onFile);
  }
}
