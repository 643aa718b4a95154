import { format, type Locale } from './i18n.ts';
import { formatMoney, type Money } from './money.ts';
import { BUSINESS_TIME_ZONE } from './time.ts';

/**
 * Dates, times, amounts and names written one way everywhere a person reads them: both apps,
 * e-mails and SMS (docs/i18n.md "Dates, amounts and names"). Every date is Vietnam time whatever the
 * reader's zone, because the deadlines the insurer promises (and the law counts) are Vietnamese
 * calendar days.
 *
 * | locale | date          | date and time            | a deadline at 23:59        | amount        |
 * |--------|---------------|--------------------------|----------------------------|---------------|
 * | `vi`   | `03/12/2026`  | `14:44 ngày 03/12/2026`  | `hết ngày 03/12/2026`      | `15.000.000 ₫` |
 * | `en`   | `3 Dec 2026`  | `14:44, 3 Dec 2026`      | `the end of 3 Dec 2026`    | `₫15,000,000` |
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A `YYYY-MM-DD` is a Vietnamese calendar date: anchored at noon Vietnam time so no zone shifts it. */
const toDate = (value: string | Date): Date =>
  value instanceof Date ? value : new Date(DATE_ONLY.test(value) ? `${value}T12:00:00+07:00` : value);

function parts(d: Date): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const p: Record<string, string> = {};
  for (const x of new Intl.DateTimeFormat('en-GB', {
    timeZone: BUSINESS_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d)) {
    p[x.type] = x.value;
  }
  return {
    day: p.day ?? '',
    month: p.month ?? '',
    year: p.year ?? '',
    hour: p.hour ?? '',
    minute: p.minute ?? '',
  };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `03/12/2026` / `3 Dec 2026`: the Vietnamese calendar date of an instant or a `YYYY-MM-DD`. */
export function formatDate(value: string | Date, locale: Locale): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(d);
  return locale === 'vi'
    ? `${p.day}/${p.month}/${p.year}`
    : `${Number(p.day)} ${EN_MONTHS[Number(p.month) - 1]} ${p.year}`;
}

/**
 * A day in a letter's sentence: `ngày 15/01/2027` in Vietnamese, `15 Jan 2027` in English (the
 * Vietnamese calendar date in both), e.g. the last day to appeal.
 */
export function formatLetterDate(value: string | Date, locale: Locale): string {
  return locale === 'vi' ? `ngày ${formatDate(value, 'vi')}` : formatDate(value, 'en');
}

/** `14:44` (24-hour, Vietnam time). */
export function formatClock(value: string | Date): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = parts(d);
  return `${p.hour}:${p.minute}`;
}

/** `14:44 ngày 03/12/2026` / `14:44, 3 Dec 2026`. */
export function formatDateTime(value: string | Date, locale: Locale): string {
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return format(locale, 'label.format.dateTime', { time: formatClock(d), date: formatDate(d, locale) });
}

/** A deadline that ends a day (23:59) reads as that day: `hết ngày 03/12/2026` / `the end of 3 Dec 2026`. */
export function formatDue(value: string | Date, locale: Locale): string {
  const d = toDate(value);
  if (formatClock(d) !== '23:59') return formatDateTime(d, locale);
  return format(locale, 'label.format.endOfDay', { date: formatDate(d, locale) });
}

/** `15.000.000 ₫` / `₫15,000,000` (integer VND). */
export const formatAmount = (m: Money, locale: Locale): string => formatMoney(m, locale);

/**
 * How a letter greets its reader: by name where the name is known ("Kính gửi anh/chị Nguyễn Văn
 * An" / "Dear Nguyen Van An"), else "Kính gửi Quý khách" / "Dear customer". English letters write
 * the name without Vietnamese marks, as the customer's own bank and passport do.
 */
export function greeting(name: string | undefined, locale: Locale): string {
  const n = name?.trim();
  if (!n) return format(locale, 'email.greeting.unnamed');
  return format(locale, 'email.greeting.named', { name: locale === 'vi' ? n : withoutMarks(n) });
}

/** `Nguyễn Văn An` → `Nguyen Van An` (đ/Đ are letters of their own, not marks). */
export const withoutMarks = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
