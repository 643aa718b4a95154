import { formatDate, formatDateTime } from '../../lambdas/core/format.ts';
import type { Locale } from '../../lambdas/core/messages.ts';
import { formatMoney, type Money } from '../../lambdas/core/money.ts';
import { BUSINESS_TIME_ZONE, businessDate } from '../../lambdas/core/time.ts';

/**
 * Display helpers. Every date is shown in Vietnam time whatever the device's zone, because the
 * deadlines the insurer promises (and the law counts) are Vietnamese calendar days.
 */
const intlLocale = (locale: Locale) => (locale === 'vi' ? 'vi-VN' : 'en-GB');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A `YYYY-MM-DD` is a Vietnamese calendar date; anchor it at noon VN time so no zone shifts it. */
const toDate = (value: string | Date): Date =>
  value instanceof Date ? value : new Date(DATE_ONLY.test(value) ? `${value}T12:00:00+07:00` : value);

/**
 * Dates and times are written the one way e-mails and SMS write them (lambdas/core/format.ts):
 * `03/12/2026`, `14:44 ngày 03/12/2026` / `3 Dec 2026`, `14:44, 3 Dec 2026`.
 */
export { formatDate, formatDateTime };

export function formatTime(value: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: BUSINESS_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(toDate(value));
}

/** Formats a value from an API `params` bag: ISO dates and instants become readable dates. */
export function formatParam(value: unknown, locale: Locale): string {
  if (typeof value === 'string' && DATE_ONLY.test(value)) return formatDate(value, locale);
  if (typeof value === 'string' && DATE_TIME.test(value)) return formatDateTime(value, locale);
  if (typeof value === 'number') return new Intl.NumberFormat(intlLocale(locale)).format(value);
  return String(value);
}

export const formatParams = (params: Record<string, unknown> | undefined, locale: Locale) =>
  Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, formatParam(v, locale)]));

export const money = (m: Money | undefined, locale: Locale): string => (m ? formatMoney(m, locale) : '—');

export function formatBytes(bytes: number, locale: Locale): string {
  const nf = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${nf.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${nf.format(bytes / 1024)} KB`;
  return `${nf.format(bytes / (1024 * 1024))} MB`;
}

/** Today's calendar date in Vietnam, for `max` on date inputs and the default loss date. */
export const todayInVietnam = (): string => businessDate(new Date());

/** The current wall-clock time in Vietnam as `HH:MM`. */
export const nowTimeInVietnam = (): string => new Date(Date.now() + 7 * 3600_000).toISOString().slice(11, 16);

/**
 * Builds the ISO instant the API wants from a date and a time typed in Vietnam time, e.g.
 * `2026-11-20` + `08:30` → `2026-11-20T08:30:00+07:00`. Vietnam has no daylight saving.
 */
export function vietnamInstant(date: string, time: string): string | undefined {
  if (!DATE_ONLY.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  return `${date}T${time}:00+07:00`;
}

/** Keeps only the digits of a typed amount: `1.500.000` or `1,500,000` → 1500000. */
export function parseAmount(text: string): number | undefined {
  const digits = text.replace(/\D/g, '');
  if (digits === '') return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Re-renders a typed amount with thousands separators as the person types. */
export function formatAmountInput(text: string, locale: Locale): string {
  const n = parseAmount(text);
  return n === undefined
    ? ''
    : new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(n);
}
