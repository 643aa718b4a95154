import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { addCalendarDays } from './time.ts';

/**
 * Working days on Vietnamese business dates (YYYY-MM-DD in Asia/Ho_Chi_Minh; convert instants with
 * `businessDate` from time.ts first). Used for deadlines counted in working days, e.g. the 3-working-day
 * advance payment of Decree 67/2023/ND-CP Art. 14.
 */

const BusinessDate = /* @__PURE__ */ defineSchema(() => z.iso.date().check(z.maxLength(10)));

export const HolidayCalendar = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /** Weekly rest days, 0 = Sunday … 6 = Saturday. */
    weekend: z
      ._default(z.array(z.int().check(z.gte(0), z.lte(6))).check(z.maxLength(6)), [0, 6])
      .check(z.refine((w) => new Set(w).size === w.length, 'weekend days must be unique')),
    /** Public holidays and the days off the government adds or swaps around them. */
    holidays: z._default(z.array(BusinessDate).check(z.maxLength(1000)), []),
    /** Weekend days declared working days (make-up Saturdays that pay back a swapped day off). */
    workingWeekends: z._default(z.array(BusinessDate).check(z.maxLength(1000)), []),
  }),
);
export type HolidayCalendar = z.infer<typeof HolidayCalendar>;

/** Every date from `from` to `to`, both included. */
function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/**
 * Default Vietnamese calendar, 2025–2027. Labour Code 45/2019/QH14 Art. 112 gives 11 paid days:
 * 1/1; 5 days of Tết Nguyên Đán; Hùng Kings' Commemoration (10/3 lunar); 30/4; 1/5; 2/9 plus one
 * adjacent day. A holiday on a weekly rest day is made up on the next working day (Art. 112(3)).
 * The government fixes the exact Tết and 2/9 days, and any swaps with make-up Saturdays, each year.
 *
 * ADMINS MUST CONFIRM THESE DATES EVERY YEAR against the Ministry of Home Affairs announcement and
 * edit the calendar configuration. 2025 and the 2026 Tết break follow the announced schedule; the
 * rest of 2026 and all of 2027 are provisional (typical arrangement, lunar dates computed). Swaps
 * announced for civil servants bind private employers only if they adopt them; this insurer does.
 * Dates outside 2025–2027 only know the weekend. A plain value, not parsed at import (the functions
 * that only read it then carry no calendar schema); tests/unit/calendar.test.ts checks it parses.
 */
export const VN_DEFAULT_CALENDAR: HolidayCalendar = {
  weekend: [0, 6],
  holidays: [
    // 2025
    '2025-01-01',
    ...dateRange('2025-01-25', '2025-02-02'), // Tết Ất Tỵ (Mùng 1 = 29/01): 5 days + 4 weekend days
    '2025-04-07', // Giỗ Tổ Hùng Vương 10/3 Ất Tỵ
    '2025-04-30',
    '2025-05-01',
    '2025-05-02', // swapped with make-up Saturday 26/04
    '2025-09-01', // National Day: 2/9 + 1/9
    '2025-09-02',
    // 2026
    '2026-01-01',
    ...dateRange('2026-02-14', '2026-02-22'), // Tết Bính Ngọ (Mùng 1 = 17/02): announced 9-day break
    '2026-04-26', // Giỗ Tổ 10/3 Bính Ngọ falls on a Sunday…
    '2026-04-27', // …made up on Monday (Art. 112(3))
    '2026-04-30',
    '2026-05-01',
    '2026-09-01', // provisional adjacent day
    '2026-09-02',
    // 2027 (provisional)
    '2027-01-01',
    ...dateRange('2027-02-04', '2027-02-10'), // Tết Đinh Mùi (Mùng 1 = Sat 06/02): 5 weekdays around it
    '2027-04-16', // Giỗ Tổ 10/3 Đinh Mùi
    '2027-04-30',
    '2027-05-01', // Saturday…
    '2027-05-03', // …made up on Monday
    '2027-09-02',
    '2027-09-03', // provisional adjacent day
  ],
  workingWeekends: ['2025-04-26'],
};

interface Compiled {
  weekend: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  workingWeekends: ReadonlySet<string>;
}
const compiled = new WeakMap<HolidayCalendar, Compiled>();
function compile(cal: HolidayCalendar): Compiled {
  let c = compiled.get(cal);
  if (!c) {
    c = {
      weekend: new Set(cal.weekend),
      holidays: new Set(cal.holidays),
      workingWeekends: new Set(cal.workingWeekends),
    };
    compiled.set(cal, c);
  }
  return c;
}

function assertDate(date: string): void {
  if (!BusinessDate.safeParse(date).success) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
}

/** Longest run of non-working days we accept before calling the calendar broken (ten years). */
const MAX_SCAN_DAYS = 3_660;

/**
 * Whether a business date is a working day: not a holiday, and either not a weekend day or a
 * declared make-up working day. A holiday wins over a make-up declaration.
 */
export function isWorkingDay(date: string, cal: HolidayCalendar = VN_DEFAULT_CALENDAR): boolean {
  assertDate(date);
  const c = compile(cal);
  if (c.holidays.has(date)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return !c.weekend.has(dow) || c.workingWeekends.has(date);
}

/**
 * The `n`th working day after `date` (the start date itself never counts, whether or not it is a
 * working day). `n = 0` returns `date` unchanged.
 *
 * @throws RangeError for a negative or fractional `n`, a malformed date, or a calendar with no
 *   working day in ten years.
 */
export function addWorkingDays(date: string, n: number, cal: HolidayCalendar = VN_DEFAULT_CALENDAR): string {
  assertDate(date);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  let d = date;
  let remaining = n;
  let idle = 0;
  while (remaining > 0) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d, cal)) {
      remaining -= 1;
      idle = 0;
    } else if (++idle > MAX_SCAN_DAYS) {
      throw new RangeError('The calendar has no working day for ten years');
    }
  }
  return d;
}

/** Number of working days `d` with `from < d ≤ to` (0 when `to` is not after `from`). */
export function workingDaysBetween(
  from: string,
  to: string,
  cal: HolidayCalendar = VN_DEFAULT_CALENDAR,
): number {
  assertDate(from);
  assertDate(to);
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (isWorkingDay(d, cal)) count += 1;
  }
  return count;
}
