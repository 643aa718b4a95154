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

const DECREE = /^Decree (\d+)\/(\d{4})\/ND-CP,? Art\. (\d+)$/;
const LAW = /^Law on Insurance Business (\d+)\/(\d{4})\/QH15,? Art\. (\d+)$/;
/** The same references written the Vietnamese way: "Điều 12 Nghị định 67/2023/NĐ-CP". */
const VI_DECREE = /^Điều (\d+),? (?:của )?Nghị định (?:số )?(\d+)\/(\d{4})\/N[ĐD]-CP$/iu;
const VI_LAW = /^Điều (\d+),? (?:của )?Luật Kinh doanh bảo hiểm (?:số )?(\d+)\/(\d{4})\/QH15$/iu;

/**
 * Reads the reference a deadline rule gives as text (`basis` in the product configuration), written
 * either way: "Decree 67/2023/ND-CP Art. 12" or "Điều 12 Nghị định 67/2023/NĐ-CP" (and the Law on
 * Insurance Business the same). Undefined for text this does not know, which is shown as given.
 */
export function parseLegalReference(text: string): LegalReference | undefined {
  const t = text.normalize('NFC').trim();
  const decree = DECREE.exec(t);
  if (decree)
    return { kind: 'decree', number: Number(decree[1]), year: Number(decree[2]), article: Number(decree[3]) };
  const viDecree = VI_DECREE.exec(t);
  if (viDecree)
    return {
      kind: 'decree',
      number: Number(viDecree[2]),
      year: Number(viDecree[3]),
      article: Number(viDecree[1]),
    };
  const law = LAW.exec(t);
  if (law)
    return {
      kind: 'law_insurance_business',
      number: law[1] ?? '',
      year: Number(law[2]),
      article: Number(law[3]),
    };
  const viLaw = VI_LAW.exec(t);
  if (viLaw)
    return {
      kind: 'law_insurance_business',
      number: viLaw[2] ?? '',
      year: Number(viLaw[3]),
      article: Number(viLaw[1]),
    };
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
