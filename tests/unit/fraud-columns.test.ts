import { describe, expect, it } from 'vitest';
import {
  cellNumber,
  cellText,
  FraudDataError,
  parseLabel,
  parseOrdinalBand,
  profileColumns,
} from '../../lambdas/core/fraud/columns.ts';

describe('reading history cells', () => {
  it('treats empty, ?, NA and null as missing', () => {
    for (const v of ['', '  ', '?', ' NA ', 'n/a', 'NaN', null, undefined, Number.NaN])
      expect(cellText(v)).toBeNull();
    expect(cellText(' Urban ')).toBe('Urban');
    expect(cellText(0)).toBe('0');
  });

  it('reads plain numbers only', () => {
    expect(cellNumber('1,200')).toBe(1200);
    expect(cellNumber(' -3.5 ')).toBe(-3.5);
    expect(cellNumber(7)).toBe(7);
    expect(cellNumber('12abc')).toBeNull();
    expect(cellNumber('?')).toBeNull();
    expect(cellNumber('1 to 2')).toBeNull();
  });

  it.each([
    ['1 to 2', 1.5],
    ['20000 to 29000', 24500],
    ['20,000 to 29,000', 24500],
    ['more than 30', 31],
    ['over 65', 66],
    ['less than 20000', 10000],
    ['none', 0],
    ['new', 0],
    ['no change', 0],
    ['3 years', 3],
    ['more than 7', 8],
    ['2 to 3 years', 2.5],
    ['under 6 months', 0.25],
    ['3 to 4', 3.5],
    ['1', 1],
  ])('reads the band %j as %d', (text, value) => {
    expect(parseOrdinalBand(text)).toBeCloseTo(value, 9);
  });

  it('does not read ordinary categories as bands', () => {
    for (const t of ['Urban', 'Policy Holder', 'All Perils', 'Sport - Collision', 'G12']) {
      expect(parseOrdinalBand(t)).toBeNull();
    }
  });

  it('reads labels as 0/1, Y/N, yes/no, true/false in any case', () => {
    expect(['1', 'Y', 'yes', 'TRUE', 't', 1].map((v) => parseLabel(v, 'L'))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(['0', 'n', 'No', 'false', 'F', 0].map((v) => parseLabel(v, 'L'))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(parseLabel('', 'L')).toBeNull();
    expect(parseLabel('?', 'L')).toBeNull();
    try {
      parseLabel('maybe', 'Fraud');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FraudDataError);
      expect((e as FraudDataError).code).toBe('LABEL_VALUE_INVALID');
      expect((e as Error).message).toContain('Fraud');
    }
  });

  it('types columns from their values', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      amount: i % 10 === 0 ? '?' : String(i * 1000),
      area: i % 3 ? 'Urban' : 'Rural',
      days: ['none', '1 to 7', '8 to 15', 'more than 30'][i % 4]!,
      mixed: i % 2 ? String(i) : `x${i}`,
      empty: '',
    }));
    const byName = Object.fromEntries(profileColumns(rows, Object.keys(rows[0]!)).map((p) => [p.name, p]));
    expect(byName.amount).toMatchObject({ kind: 'numeric', present: 90 });
    expect(byName.area).toMatchObject({ kind: 'categorical', ordinal: false, distinct: 2 });
    expect(byName.days).toMatchObject({ kind: 'categorical', ordinal: true });
    expect(byName.mixed).toMatchObject({ kind: 'categorical', ordinal: false });
    expect(byName.empty).toMatchObject({ present: 0 });
  });
});
