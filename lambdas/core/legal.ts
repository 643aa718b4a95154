import { format, type Locale } from './i18n.ts';

/**
 * A legal reference as data: which instrument, its number and year, and the article. Written the
 * Vietnamese way in Vietnamese ("Điều 12 Nghị định 67/2023/NĐ-CP") and the English way in English
 * ("Decree 67/2023/ND-CP, Art. 12"), from `label.legal.*` in the catalogue.
 */
export type LegalReference =
  | { kind: 'decree'; number: number; year: number; article: number }
  | { kind: 'law_insurance_business'; number: string; year: number; article: number }
  | { kind: 'service_standard' }
  /** The policy wording's lapse clause: the claim lapses when asked-for information never comes. */
  | { kind: 'policy_lapse_no_information' };

/**
 * The references a deadline rule may cite, written either way, with which group holds the number,
 * the year and the article: "Decree 67/2023/ND-CP Art. 12" or "Điều 12 Nghị định 67/2023/NĐ-CP";
 * "Law on Insurance Business 08/2022/QH15 Art. 31" or "Điều 31 Luật Kinh doanh bảo hiểm 08/2022/QH15".
 */
const CITATIONS: readonly {
  kind: 'decree' | 'law_insurance_business';
  re: RegExp;
  at: { number: number; year: number; article: number };
}[] = [
  {
    kind: 'decree',
    re: /^Decree (\d+)\/(\d{4})\/ND-CP,? Art\. (\d+)$/,
    at: { number: 1, year: 2, article: 3 },
  },
  {
    kind: 'decree',
    re: /^Điều (\d+),? (?:của )?Nghị định (?:số )?(\d+)\/(\d{4})\/N[ĐD]-CP$/iu,
    at: { number: 2, year: 3, article: 1 },
  },
  {
    kind: 'law_insurance_business',
    re: /^Law on Insurance Business (\d+)\/(\d{4})\/QH15,? Art\. (\d+)$/,
    at: { number: 1, year: 2, article: 3 },
  },
  {
    kind: 'law_insurance_business',
    re: /^Điều (\d+),? (?:của )?Luật Kinh doanh bảo hiểm (?:số )?(\d+)\/(\d{4})\/QH15$/iu,
    at: { number: 2, year: 3, article: 1 },
  },
];

/**
 * Reads the reference a deadline rule gives as text (`basis` in the product configuration), written
 * either way (see {@link CITATIONS}). Undefined for text this does not know, which is shown as given.
 */
export function parseLegalReference(text: string): LegalReference | undefined {
  const t = text.normalize('NFC').trim();
  for (const { kind, re, at } of CITATIONS) {
    const m = re.exec(t);
    if (!m) continue;
    const year = Number(m[at.year]);
    const article = Number(m[at.article]);
    // The law's number keeps its leading zero (08/2022); a decree's is a number.
    return kind === 'decree'
      ? { kind, number: Number(m[at.number]), year, article }
      : { kind, number: m[at.number] ?? '', year, article };
  }
  if (/^Service standard\b/.test(text)) return { kind: 'service_standard' };
  if (/^Policy wording: claim lapses\b/.test(text)) return { kind: 'policy_lapse_no_information' };
  return undefined;
}

/** A reference (or its text form) in `locale`; text this does not know comes back unchanged. */
export function formatLegalReference(ref: LegalReference | string | undefined, locale: Locale): string {
  if (ref === undefined) return '';
  const r = typeof ref === 'string' ? parseLegalReference(ref) : ref;
  if (!r) return typeof ref === 'string' ? ref : '';
  if (r.kind === 'service_standard' || r.kind === 'policy_lapse_no_information')
    return format(locale, `label.legal.${r.kind}`);
  // Numbers go in as text: ICU would group a year as "2,023".
  return format(locale, `label.legal.${r.kind}`, {
    number: String(r.number).padStart(r.kind === 'law_insurance_business' ? 2 : 1, '0'),
    year: String(r.year),
    article: String(r.article),
  });
}
