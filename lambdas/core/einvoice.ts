import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_AMOUNT } from './money.ts';
import { normalizeName } from './names.ts';

export { normalizeName };

/**
 * Vietnamese e-invoices (Decree 123/2020/NĐ-CP; the General Department of Taxation's XML data format,
 * Decision 1450/QĐ-TCT and its successors): `HDon` → `DLHDon` → `TTChung` (template KHMSHDon, series
 * KHHDon, number SHDon, date NLap, currency DVTTe) and `NDHDon` → `NBan` (seller), `NMua` (buyer),
 * `DSHHDVu`/`HHDVu` (line items) and `TToan` (totals). The tax authority's message envelope
 * (`TDiep` → `DLieu` → `HDon`) is accepted too.
 *
 * Pure: takes the XML text, returns the invoice or a coded error. It reads the data; it does not
 * verify the seller's XML signature (`DSCKS`) or look the invoice up at the tax authority — a
 * straight-through payment rests on the amount, the dates and the parties read here, and a sample
 * of those payments is reviewed by a person afterwards.
 */

/** E-invoices are a few kilobytes; a generous bound keeps a hostile upload from costing much. */
export const EINVOICE_MAX_CHARS = 1_000_000;
export const EINVOICE_MAX_LINES = 500;

export interface EInvoiceLine {
  name: string;
  quantity?: number;
  unitPrice?: number;
  /** ThTien: the line amount before VAT, whole đồng. */
  amount: number;
}

export interface EInvoice {
  /** KHMSHDon: the template symbol (1 = VAT invoice, 2 = sales invoice, …). */
  template: string;
  /** KHHDon: the series, e.g. `C24TAA`. */
  series: string;
  /** SHDon without leading zeros. */
  number: string;
  /** NLap: the issue date, yyyy-mm-dd. */
  issuedOn: string;
  currency: 'VND';
  seller: { name: string; taxCode: string };
  /** NMua: a company (Ten + MST) or a person (HVTNMHang, CCCDan); any may be missing on retail invoices. */
  buyer: { name?: string; personName?: string; taxCode?: string; idNumber?: string };
  lines: EInvoiceLine[];
  /** TgTCThue (before VAT), TgTThue (VAT), TgTTTBSo (total payable including VAT), whole đồng. */
  totals: { beforeTax: number; tax: number; discount: number; total: number };
  /** MCCQT: the tax authority's code, on invoices issued with one. */
  authorityCode?: string;
}

export type EInvoiceErrorCode =
  | 'EINVOICE_TOO_LARGE'
  | 'EINVOICE_MALFORMED'
  | 'EINVOICE_NOT_AN_INVOICE'
  | 'EINVOICE_FIELD_MISSING'
  | 'EINVOICE_FIELD_INVALID'
  | 'EINVOICE_CURRENCY_NOT_VND'
  | 'EINVOICE_TOO_MANY_LINES'
  | 'EINVOICE_TOTALS_INCONSISTENT';

export type EInvoiceResult =
  | { ok: true; invoice: EInvoice }
  | { ok: false; code: EInvoiceErrorCode; field?: string; detail?: string };

type Node = Record<string, unknown>;

class Fail extends Error {
  constructor(
    readonly code: EInvoiceErrorCode,
    readonly field?: string,
  ) {
    super(code);
  }
}

// Pure annotation: functions that never parse an invoice (everything but VerifyUpload) drop the
// XML parser from their bundle.
const parser = /* @__PURE__ */ new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Keep every value as text: tax codes and invoice numbers have leading zeros that matter.
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'HHDVu',
});

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function child(node: Node | undefined, name: string): Node | undefined {
  const v = node?.[name];
  return isNode(v) ? v : undefined;
}

function text(node: Node | undefined, name: string): string | undefined {
  const v = node?.[name];
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v).trim();
    return s === '' ? undefined : s;
  }
  return undefined;
}

function required(node: Node | undefined, name: string, path: string): string {
  const v = text(node, name);
  if (v === undefined) throw new Fail('EINVOICE_FIELD_MISSING', path);
  return v;
}

/** A money amount in whole đồng: digits with an optional all-zero fraction (`1500000.00`). */
function dong(value: string, path: string): number {
  const m = /^(-?\d{1,15})(?:[.,]0+)?$/.exec(value);
  if (!m) throw new Fail('EINVOICE_FIELD_INVALID', path);
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_AMOUNT) throw new Fail('EINVOICE_FIELD_INVALID', path);
  return n;
}

function decimal(value: string | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(value)) throw new Fail('EINVOICE_FIELD_INVALID', path);
  return Number(value);
}

function invoiceRoot(doc: Node): Node | undefined {
  const direct = child(doc, 'HDon');
  if (direct) return direct;
  return child(child(child(doc, 'TDiep'), 'DLieu'), 'HDon');
}

function parseLines(list: Node | undefined): EInvoiceLine[] {
  const raw = list?.HHDVu;
  const items = Array.isArray(raw) ? raw : [];
  if (items.length > EINVOICE_MAX_LINES) throw new Fail('EINVOICE_TOO_MANY_LINES', 'DSHHDVu');
  return items.filter(isNode).map((item, i) => {
    const at = `DSHHDVu.HHDVu.${i}`;
    const amount = text(item, 'ThTien');
    return {
      name: required(item, 'THHDVu', `${at}.THHDVu`),
      quantity: decimal(text(item, 'SLuong'), `${at}.SLuong`),
      unitPrice: decimal(text(item, 'DGia'), `${at}.DGia`),
      amount: amount === undefined ? 0 : dong(amount, `${at}.ThTien`),
    };
  });
}

/**
 * Reads one e-invoice. The total (`TgTTTBSo`) must equal the amount before VAT plus VAT, less the
 * trade discount where the invoice states one separately; otherwise the data contradicts itself and
 * nothing is paid on it without a person.
 */
export function parseEInvoice(xml: string): EInvoiceResult {
  if (xml.length > EINVOICE_MAX_CHARS) return { ok: false, code: 'EINVOICE_TOO_LARGE' };
  const body = xml.replace(/^\uFEFF/, '');
  // E-invoices never carry a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(body)) return { ok: false, code: 'EINVOICE_MALFORMED', detail: 'DOCTYPE' };
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, code: 'EINVOICE_MALFORMED', detail: valid.err.msg.slice(0, 200) };
  try {
    const doc = parser.parse(body) as Node;
    const root = invoiceRoot(doc);
    const data = child(root, 'DLHDon');
    if (!data) return { ok: false, code: 'EINVOICE_NOT_AN_INVOICE' };
    const general = child(data, 'TTChung');
    const content = child(data, 'NDHDon');
    if (!general) throw new Fail('EINVOICE_FIELD_MISSING', 'TTChung');
    if (!content) throw new Fail('EINVOICE_FIELD_MISSING', 'NDHDon');

    const template = required(general, 'KHMSHDon', 'TTChung.KHMSHDon');
    if (!/^[1-9]$/.test(template)) throw new Fail('EINVOICE_FIELD_INVALID', 'TTChung.KHMSHDon');
    const series = required(general, 'KHHDon', 'TTChung.KHHDon').toUpperCase();
    if (!/^[A-Z0-9]{1,8}$/.test(series)) throw new Fail('EINVOICE_FIELD_INVALID', 'TTChung.KHHDon');
    const numberText = required(general, 'SHDon', 'TTChung.SHDon');
    if (!/^\d{1,8}$/.test(numberText)) throw new Fail('EINVOICE_FIELD_INVALID', 'TTChung.SHDon');
    const issued = required(general, 'NLap', 'TTChung.NLap');
    const date = /^(\d{4}-\d{2}-\d{2})/.exec(issued)?.[1];
    if (!date || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new Fail('EINVOICE_FIELD_INVALID', 'TTChung.NLap');
    const currency = (text(general, 'DVTTe') ?? 'VND').toUpperCase();
    if (currency !== 'VND') return { ok: false, code: 'EINVOICE_CURRENCY_NOT_VND', detail: currency };

    const sellerNode = child(content, 'NBan');
    if (!sellerNode) throw new Fail('EINVOICE_FIELD_MISSING', 'NDHDon.NBan');
    const taxCode = required(sellerNode, 'MST', 'NBan.MST').replace(/\s/g, '');
    if (!/^\d{10}(-\d{3})?$|^\d{13}$/.test(taxCode)) throw new Fail('EINVOICE_FIELD_INVALID', 'NBan.MST');
    const seller = { name: required(sellerNode, 'Ten', 'NBan.Ten'), taxCode };

    const buyerNode = child(content, 'NMua');
    const buyer = {
      name: text(buyerNode, 'Ten'),
      personName: text(buyerNode, 'HVTNMHang'),
      taxCode: text(buyerNode, 'MST')?.replace(/\s/g, ''),
      idNumber: text(buyerNode, 'CCCDan')?.replace(/\s/g, ''),
    };

    const lines = parseLines(child(content, 'DSHHDVu'));
    const totalsNode = child(content, 'TToan');
    if (!totalsNode) throw new Fail('EINVOICE_FIELD_MISSING', 'NDHDon.TToan');
    const total = dong(required(totalsNode, 'TgTTTBSo', 'TToan.TgTTTBSo'), 'TToan.TgTTTBSo');
    const taxText = text(totalsNode, 'TgTThue');
    const tax = taxText === undefined ? 0 : dong(taxText, 'TToan.TgTThue');
    const beforeText = text(totalsNode, 'TgTCThue');
    const beforeTax = beforeText === undefined ? total - tax : dong(beforeText, 'TToan.TgTCThue');
    const discountText = text(totalsNode, 'TTCKTMai');
    const discount = discountText === undefined ? 0 : dong(discountText, 'TToan.TTCKTMai');
    if (total <= 0 || tax < 0 || beforeTax < 0 || discount < 0)
      throw new Fail('EINVOICE_FIELD_INVALID', 'TToan');
    if (total !== beforeTax + tax && total !== beforeTax + tax - discount) {
      return { ok: false, code: 'EINVOICE_TOTALS_INCONSISTENT', detail: `${beforeTax}+${tax}≠${total}` };
    }

    return {
      ok: true,
      invoice: {
        template,
        series,
        number: String(Number(numberText)),
        issuedOn: date,
        currency: 'VND',
        seller,
        buyer: Object.fromEntries(Object.entries(buyer).filter(([, v]) => v !== undefined)),
        lines,
        totals: { beforeTax, tax, discount, total },
        ...(text(root, 'MCCQT') ? { authorityCode: text(root, 'MCCQT') } : {}),
      },
    };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, code: e.code, ...(e.field ? { field: e.field } : {}) };
    return { ok: false, code: 'EINVOICE_MALFORMED' };
  }
}

/**
 * What identifies one invoice nationally: the seller's tax code, template + series, and number
 * (Decree 123/2020 Art. 10). The same key on two claims is the same invoice claimed twice.
 */
export const invoiceIdentity = (i: Pick<EInvoice, 'seller' | 'template' | 'series' | 'number'>) => ({
  sellerTaxCode: i.seller.taxCode,
  series: `${i.template}${i.series}`,
  number: i.number,
});

/**
 * Whether the invoice was issued to the policyholder: an identifier on both sides decides (tax code
 * or citizen id); otherwise the buyer's name (company or person) must match the holder's name. An
 * invoice naming no buyer at all proves nothing about who paid: `unknown`.
 */
export function buyerMatchesHolder(
  buyer: EInvoice['buyer'],
  holder: { name: string; taxId?: string },
): 'match' | 'mismatch' | 'unknown' {
  const ids = [buyer.taxCode, buyer.idNumber].filter((x): x is string => Boolean(x));
  if (holder.taxId && ids.length > 0) return ids.includes(holder.taxId) ? 'match' : 'mismatch';
  const names = [buyer.name, buyer.personName].filter((x): x is string => Boolean(x));
  if (names.length === 0) return 'unknown';
  const want = normalizeName(holder.name);
  return names.some((n) => normalizeName(n) === want) ? 'match' : 'mismatch';
}
