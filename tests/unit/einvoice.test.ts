import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buyerMatchesHolder,
  EINVOICE_MAX_CHARS,
  invoiceIdentity,
  normalizeName,
  parseEInvoice,
} from '../../lambdas/core/einvoice.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/einvoices/${name}.xml`, import.meta.url), 'utf8');

function parsed(name: string) {
  const r = parseEInvoice(fixture(name));
  if (!r.ok) throw new Error(`${name}: ${r.code} ${r.field ?? ''} ${r.detail ?? ''}`);
  return r.invoice;
}

describe('parseEInvoice', () => {
  it('reads seller, template/series/number, date, line items and totals of a VAT invoice', () => {
    const inv = parsed('valid');
    expect(inv).toMatchObject({
      template: '1',
      series: 'C26TGR',
      number: '1234',
      issuedOn: '2026-11-28',
      currency: 'VND',
      seller: { name: 'CONG TY TNHH GARA O TO THANH CONG', taxCode: '0101234567' },
      buyer: { name: 'NGUYEN VAN AN', personName: 'NGUYEN VAN AN', idNumber: '001085012345' },
      totals: { beforeTax: 6_000_000, tax: 600_000, discount: 0, total: 6_600_000 },
      authorityCode: '00A1B2C3D4E5F60718293A4B5C6D7E8F90',
    });
    expect(inv.lines).toEqual([
      { name: 'Kinh chan gio truoc', quantity: 1, unitPrice: 5_000_000, amount: 5_000_000 },
      { name: 'Cong thay kinh', quantity: 2, unitPrice: 500_000, amount: 1_000_000 },
    ]);
    expect(invoiceIdentity(inv)).toEqual({ sellerTaxCode: '0101234567', series: '1C26TGR', number: '1234' });
  });

  it('keeps Vietnamese text and branch tax codes, reads the message envelope and ".00" amounts', () => {
    const inv = parsed('diacritics');
    expect(inv.seller).toEqual({ name: 'Công ty Cổ phần Dịch vụ Ô tô Đồng Tâm', taxCode: '0312345678-001' });
    expect(inv.buyer).toEqual({ personName: 'Nguyễn Văn An' });
    expect(inv.lines[0]?.name).toBe('Sơn, gò cản trước & đèn pha');
    expect(inv.totals.total).toBe(8_100_000);
  });

  it('reads the date of an invoice dated before the loss and the buyer of one issued to someone else', () => {
    expect(parsed('before-loss').issuedOn).toBe('2026-10-02');
    expect(parsed('other-buyer').buyer).toMatchObject({
      name: 'CONG TY TNHH VAN TAI BINH MINH',
      taxCode: '0109876543',
      personName: 'TRAN VAN BINH',
    });
  });

  it('refuses XML that is not well formed', () => {
    expect(parseEInvoice(fixture('malformed'))).toMatchObject({ ok: false, code: 'EINVOICE_MALFORMED' });
    expect(parseEInvoice('')).toMatchObject({ ok: false });
    expect(parseEInvoice('%PDF-1.4 not xml')).toMatchObject({ ok: false, code: 'EINVOICE_MALFORMED' });
  });

  it('refuses a DTD (no entity expansion) and oversized input', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><HDon>&a;</HDon>`;
    expect(parseEInvoice(bomb)).toMatchObject({ ok: false, code: 'EINVOICE_MALFORMED', detail: 'DOCTYPE' });
    expect(parseEInvoice(' '.repeat(EINVOICE_MAX_CHARS + 1))).toMatchObject({ code: 'EINVOICE_TOO_LARGE' });
  });

  it('says which field is missing or wrong', () => {
    const xml = fixture('valid');
    expect(parseEInvoice('<?xml version="1.0"?><Other/>')).toMatchObject({ code: 'EINVOICE_NOT_AN_INVOICE' });
    expect(parseEInvoice(xml.replace(/<SHDon>.*<\/SHDon>/, ''))).toMatchObject({
      code: 'EINVOICE_FIELD_MISSING',
      field: 'TTChung.SHDon',
    });
    expect(parseEInvoice(xml.replace('<MST>0101234567</MST>', '<MST>12AB</MST>'))).toMatchObject({
      code: 'EINVOICE_FIELD_INVALID',
      field: 'NBan.MST',
    });
    expect(parseEInvoice(xml.replace('<TgTTTBSo>6600000', '<TgTTTBSo>6600000.5'))).toMatchObject({
      code: 'EINVOICE_FIELD_INVALID',
      field: 'TToan.TgTTTBSo',
    });
    expect(parseEInvoice(xml.replace('<NLap>2026-11-28', '<NLap>28/11/2026'))).toMatchObject({
      code: 'EINVOICE_FIELD_INVALID',
      field: 'TTChung.NLap',
    });
  });

  it('refuses totals that contradict themselves and foreign-currency invoices', () => {
    const xml = fixture('valid');
    expect(parseEInvoice(xml.replace('<TgTTTBSo>6600000', '<TgTTTBSo>9600000'))).toMatchObject({
      code: 'EINVOICE_TOTALS_INCONSISTENT',
    });
    expect(parseEInvoice(xml.replace('<DVTTe>VND', '<DVTTe>USD'))).toMatchObject({
      code: 'EINVOICE_CURRENCY_NOT_VND',
    });
  });

  it('accepts a separately stated trade discount', () => {
    const xml = fixture('valid').replace('<TgTTTBSo>6600000', '<TTCKTMai>100000</TTCKTMai><TgTTTBSo>6500000');
    const r = parseEInvoice(xml);
    expect(r.ok && r.invoice.totals).toEqual({
      beforeTax: 6_000_000,
      tax: 600_000,
      discount: 100_000,
      total: 6_500_000,
    });
  });
});

describe('buyerMatchesHolder', () => {
  it('decides on an identifier when both sides have one', () => {
    expect(buyerMatchesHolder({ idNumber: '001085012345' }, { name: 'X', taxId: '001085012345' })).toBe(
      'match',
    );
    expect(
      buyerMatchesHolder(
        { taxCode: '0109876543', name: 'Nguyễn Văn An' },
        { name: 'Nguyễn Văn An', taxId: '001085012345' },
      ),
    ).toBe('mismatch');
  });

  it('otherwise compares names without case or diacritics; no buyer at all is unknown', () => {
    expect(normalizeName('  Nguyễn  Văn Đức ')).toBe('NGUYEN VAN DUC');
    expect(buyerMatchesHolder({ personName: 'NGUYEN VAN AN' }, { name: 'Nguyễn Văn An' })).toBe('match');
    expect(buyerMatchesHolder({ name: 'TRAN VAN BINH' }, { name: 'Nguyễn Văn An' })).toBe('mismatch');
    expect(buyerMatchesHolder({}, { name: 'Nguyễn Văn An' })).toBe('unknown');
  });
});
