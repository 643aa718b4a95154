/**
 * Time is injected (HOUSE_STYLE §6): use cases take a {@link Clock} so deadlines and SLA timers are
 * testable without sleeping. Business dates are in Asia/Ho_Chi_Minh (UTC+7, no DST).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (iso: string | Date): Clock => {
  const d = new Date(iso);
  return { now: () => new Date(d) };
};

export const BUSINESS_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MS = 7 * 3600_000;

/** The calendar date (YYYY-MM-DD) of an instant in Vietnam. */
export function businessDate(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as ISO-8601 with the +07:00 offset, for letters and screens. */
export function toBusinessIso(at: Date): string {
  return `${new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** Midnight at the start of a Vietnamese calendar date, as an instant. */
export function startOfBusinessDay(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (both YYYY-MM-DD); negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
