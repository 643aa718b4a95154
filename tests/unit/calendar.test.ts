import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  HolidayCalendar,
  isWorkingDay,
  VN_DEFAULT_CALENDAR,
  workingDaysBetween,
} from '../../lambdas/core/calendar.ts';
import { addCalendarDays } from '../../lambdas/core/time.ts';

describe('isWorkingDay (default Vietnamese calendar)', () => {
  it.each([
    ['2026-03-04', true, 'an ordinary Wednesday'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-08', false, 'a Sunday'],
    ['2026-02-16', false, 'a Monday in the 2026 Tết break'],
    ['2026-02-23', true, 'the Monday after the 2026 Tết break'],
    ['2025-01-29', false, 'Mùng 1 Tết 2025'],
    ['2025-04-07', false, 'Hùng Kings’ day 2025'],
    ['2025-04-26', true, 'the make-up Saturday for 2 May 2025'],
    ['2025-05-02', false, 'the swapped Friday 2 May 2025'],
    ['2025-09-01', false, 'the day beside National Day 2025'],
    ['2026-04-27', false, 'the Monday making up Hùng Kings’ day 2026 (a Sunday)'],
    ['2027-05-03', false, 'the Monday making up 1 May 2027 (a Saturday)'],
    ['2027-01-01', false, 'New Year 2027'],
  ])('%s → %s (%s)', (date, expected) => {
    expect(isWorkingDay(date, VN_DEFAULT_CALENDAR)).toBe(expected);
  });

  it('rejects a malformed date', () => {
    expect(() => isWorkingDay('2026-2-3')).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('skips the whole 2026 Tết break: Friday 13 Feb + 1 → Monday 23 Feb; + 3 → Wednesday 25 Feb', () => {
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(addWorkingDays('2026-02-13', 3)).toBe('2026-02-25');
  });

  it('counts a make-up Saturday and skips the 30/4–4/5/2025 break', () => {
    expect(addWorkingDays('2025-04-25', 1)).toBe('2025-04-26');
    expect(addWorkingDays('2025-04-29', 1)).toBe('2025-05-05');
  });

  it('does not count the start day, even when it is a holiday', () => {
    expect(addWorkingDays('2026-02-15', 1)).toBe('2026-02-23');
    expect(addWorkingDays('2026-03-04', 1)).toBe('2026-03-05');
  });

  it('returns the start for n = 0 and rejects negative or fractional n', () => {
    expect(addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    expect(() => addWorkingDays('2026-03-04', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-04', 1.5)).toThrow(RangeError);
  });

  it('follows a custom calendar (Friday weekend, one holiday)', () => {
    const cal = HolidayCalendar.parse({ weekend: [5], holidays: ['2026-03-08'] });
    // Thu 5 Mar + 1: Fri 6 is weekend → Sat 7; + 2: Sun 8 is a holiday → Mon 9.
    expect(addWorkingDays('2026-03-05', 1, cal)).toBe('2026-03-07');
    expect(addWorkingDays('2026-03-05', 2, cal)).toBe('2026-03-09');
  });
});

describe('HolidayCalendar schema', () => {
  it('defaults to a Saturday–Sunday weekend and no holidays', () => {
    expect(HolidayCalendar.parse({})).toEqual({ weekend: [0, 6], holidays: [], workingWeekends: [] });
  });

  it('rejects a week with no working day, duplicates and bad dates', () => {
    expect(HolidayCalendar.safeParse({ weekend: [0, 1, 2, 3, 4, 5, 6] }).success).toBe(false);
    expect(HolidayCalendar.safeParse({ weekend: [0, 0] }).success).toBe(false);
    expect(HolidayCalendar.safeParse({ holidays: ['30/04/2026'] }).success).toBe(false);
  });

  it('the default calendar has the statutory days in each of 2025–2027', () => {
    for (const y of ['2025', '2026', '2027']) {
      for (const md of ['01-01', '04-30', '05-01', '09-02']) {
        expect(VN_DEFAULT_CALENDAR.holidays).toContain(`${y}-${md}`);
      }
      expect(VN_DEFAULT_CALENDAR.holidays.filter((d) => d.startsWith(y)).length).toBeGreaterThanOrEqual(11);
    }
  });
});

const dateArb = fc
  .integer({ min: 0, max: 365 * 3 + 60 })
  .map((offset) => addCalendarDays('2024-12-01', offset));

const calendarArb = fc.oneof(
  fc.constant(VN_DEFAULT_CALENDAR),
  fc
    .record({
      weekend: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 5 }),
      holidays: fc.array(dateArb, { maxLength: 40 }),
      workingWeekends: fc.array(dateArb, { maxLength: 5 }),
    })
    .map((c) => HolidayCalendar.parse(c)),
);

describe('addWorkingDays — properties', () => {
  it('lands on a working day strictly after the start, exactly n working days later', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 1, max: 40 }), (cal, start, n) => {
        const end = addWorkingDays(start, n, cal);
        expect(isWorkingDay(end, cal)).toBe(true);
        expect(end > start).toBe(true);
        expect(workingDaysBetween(start, end, cal)).toBe(n);
        // …and it is the first such day: the day before holds only n − 1 working days.
        expect(workingDaysBetween(start, addCalendarDays(end, -1), cal)).toBe(n - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('adding in two steps equals adding at once', () => {
    fc.assert(
      fc.property(dateArb, fc.nat(20), fc.nat(20), (start, a, b) => {
        expect(addWorkingDays(addWorkingDays(start, a), b)).toBe(addWorkingDays(start, a + b));
      }),
      { numRuns: 200 },
    );
  });
});

describe('VN_DEFAULT_CALENDAR', () => {
  it('is a valid calendar, unchanged by parsing (the default is not parsed at import)', () => {
    expect(HolidayCalendar.parse(VN_DEFAULT_CALENDAR)).toEqual(VN_DEFAULT_CALENDAR);
  });
});
