/**
 * How values people type are compared (pure, no dependencies: profile and policy writes use these,
 * and those functions stay small).
 */

/** Names compared without case, diacritics, punctuation or spacing (`Nguyễn Văn An` = `NGUYEN VAN AN`). */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/** Upper case without whitespace, dots or dashes (plates, policy numbers, ids). */
export const normaliseKey = (v: string): string => v.toUpperCase().replace(/[\s.\-_/]/g, '');

/** Phones in national form (`+84 912 345 678` → `0912345678`). */
export function normalisePhone(v: string): string {
  const digits = v.replace(/\D/g, '');
  return digits.startsWith('84') && digits.length >= 11 ? `0${digits.slice(2)}` : digits;
}
