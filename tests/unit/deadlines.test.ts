import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../lambdas/core/calendar.ts';
import {
  atRiskAt,
  deadlineStatus,
  dueAt,
  latePaymentInterest,
  planDeadlines,
  replannedDue,
} from '../../lambdas/core/deadlines.ts';
import { DomainError } from '../../lambdas/core/errors.ts';
import { vnd } from '../../lambdas/core/money.ts';
import { DEFAULT_PRODUCTS, type ProductConfig, productByCode } from '../../lambdas/core/products.ts';

const product = (code: string): ProductConfig => {
  const p = productByCode(DEFAULT_PRODUCTS, code);
  if (!p) throw new Error(code);
  return p;
};

describe('dueAt', () => {
  it('adds hours to the millisecond', () => {
    const due = dueAt(
      { kind: 'acknowledgement', amount: 24, unit: 'hours' },
      new Date('2026-03-02T10:00:00+07:00'),
    );
    expect(due.toISOString()).toBe('2026-03-03T03:00:00.000Z');
  });

  it('ends calendar-day periods at 23:59:59.999 Vietnam time of the Nth day after the start date', () => {
    // Art. 31: 15 days from a dossier completed at 15:00 on 2 March 2026 → end of 17 March.
    const due = dueAt(
      { kind: 'payment', amount: 15, unit: 'calendar_days' },
      new Date('2026-03-02T15:00:00+07:00'),
    );
    expect(due.toISOString()).toBe('2026-03-17T16:59:59.999Z');
  });

  it('takes the start date in Vietnam, not in UTC', () => {
    // 20:00 UTC on 1 March is 03:00 on 2 March in Hà Nội.
    const due = dueAt(
      { kind: 'payment', amount: 15, unit: 'calendar_days' },
      new Date('2026-03-01T20:00:00Z'),
    );
    expect(due.toISOString()).toBe('2026-03-17T16:59:59.999Z');
  });

  it('counts working days past Tết: 3 working days from Friday 13 Feb 2026 end on Wednesday 25 Feb', () => {
    const due = dueAt(
      { kind: 'advance_payment', amount: 3, unit: 'working_days' },
      new Date('2026-02-13T10:00:00+07:00'),
    );
    expect(due.toISOString()).toBe('2026-02-25T16:59:59.999Z');
  });

  it("extends the customer's period past a last day off, never the insurer's (Civil Code Art. 148(5))", () => {
    // Information requested on 16 Jan 2026: the 30th day, Sunday 15 Feb, is inside the shipped
    // calendar's Tết break (14–22 Feb), so the claim lapses no earlier than the end of Monday 23 Feb.
    const noResponse = product('MOTOR_OD').deadlines.find((d) => d.kind === 'no_response_close');
    expect(noResponse?.unit).toBe('calendar_days');
    const requested = new Date('2026-01-16T10:00:00+07:00');
    expect(dueAt(noResponse!, requested).toISOString()).toBe('2026-02-23T16:59:59.999Z');
    // Planned with the product's rules, it is the same instant.
    const planned = planDeadlines(product('MOTOR_OD'), { info_requested: requested });
    expect(planned.find((d) => d.kind === 'no_response_close')?.dueAt).toBe('2026-02-23T16:59:59.999Z');
    // The insurer's 15-day payment deadline landing on the same Sunday stays there.
    const payment = { kind: 'payment', amount: 15, unit: 'calendar_days' } as const;
    expect(dueAt(payment, new Date('2026-01-31T10:00:00+07:00')).toISOString()).toBe(
      '2026-02-15T16:59:59.999Z',
    );
  });

  it('uses the calendar it is given', () => {
    const noHolidays = HolidayCalendar.parse({});
    const due = dueAt(
      { kind: 'advance_payment', amount: 3, unit: 'working_days' },
      new Date('2026-02-13T10:00:00+07:00'),
      noHolidays,
    );
    expect(due.toISOString()).toBe('2026-02-18T16:59:59.999Z');
  });
});

describe('replannedDue (the calendar changed under a running deadline)', () => {
  const cal = HolidayCalendar.parse({});
  const withHolidays = (...holidays: string[]) => ({ ...cal, holidays });
  // Friday 28 Aug 2026, 10:00 in Hà Nội: 3 working days.
  const anchorAt = '2026-08-28T03:00:00.000Z';
  const advance = { kind: 'advance_payment', amount: 3, unit: 'working_days' } as const;
  const plannedUnder = (c: HolidayCalendar) => ({
    kind: advance.kind,
    anchorAt,
    dueAt: dueAt(advance, new Date(anchorAt), c).toISOString(),
  });

  it("moves the insurer's deadline earlier when a day off is taken out, never later when one is added", () => {
    // Planned with 1 and 2 September off: Mon 31 Aug, Thu 3, Fri 4 Sep.
    const planned = plannedUnder(withHolidays('2026-09-01', '2026-09-02'));
    expect(planned.dueAt).toBe('2026-09-04T16:59:59.999Z');
    // The provisional 1 September is taken out: Mon 31, Tue 1, Thu 3.
    expect(replannedDue(planned, advance, withHolidays('2026-09-02'))).toBe('2026-09-03T16:59:59.999Z');
    // Both taken out: Mon 31, Tue 1, Wed 2.
    expect(replannedDue(planned, advance, cal)).toBe('2026-09-02T16:59:59.999Z');
    // Another holiday added (Mon 31 Aug): the later instant is not taken.
    expect(replannedDue(planned, advance, withHolidays('2026-08-31', '2026-09-01', '2026-09-02'))).toBe(
      undefined,
    );
  });

  it("moves the customer's period later when its last day becomes a day off, never earlier", () => {
    const noResponse = { kind: 'no_response_close', amount: 30, unit: 'calendar_days' } as const;
    // Requested Thu 1 Oct 2026: the 30th day is Sat 31 Oct, so Mon 2 Nov.
    const requested = '2026-10-01T03:00:00.000Z';
    const planned = {
      kind: noResponse.kind,
      anchorAt: requested,
      dueAt: dueAt(noResponse, new Date(requested), cal).toISOString(),
    };
    expect(planned.dueAt).toBe('2026-11-02T16:59:59.999Z');
    expect(replannedDue(planned, noResponse, withHolidays('2026-11-02'))).toBe('2026-11-03T16:59:59.999Z');
    // Saturdays made working days would end it on the 31st: the customer keeps the later day.
    expect(replannedDue(planned, noResponse, { ...cal, weekend: [0] })).toBe(undefined);
  });

  it('is idempotent, and leaves alone what does not depend on the calendar', () => {
    const planned = plannedUnder(withHolidays('2026-09-01', '2026-09-02'));
    const moved = { ...planned, dueAt: replannedDue(planned, advance, cal)! };
    expect(replannedDue(moved, advance, cal)).toBe(undefined);
    const payment = { kind: 'payment', amount: 15, unit: 'calendar_days' } as const;
    const pay = { kind: payment.kind, anchorAt, dueAt: dueAt(payment, new Date(anchorAt)).toISOString() };
    expect(replannedDue(pay, payment, withHolidays('2026-09-12'))).toBe(undefined);
  });
});

describe('planDeadlines', () => {
  const submitted = new Date('2026-03-02T10:00:00+07:00'); // a Monday

  it('plans only the rules whose anchor has happened, sorted by due instant', () => {
    const plan = planDeadlines(product('MOTOR_TPL'), { submitted });
    expect(plan.map((d) => [d.kind, d.dueAt, d.atRiskAt])).toEqual([
      ['guidance', '2026-03-02T04:00:00.000Z', '2026-03-02T03:48:00.000Z'],
      ['acknowledgement', '2026-03-03T03:00:00.000Z', '2026-03-02T22:12:00.000Z'],
      ['assessment', '2026-03-03T03:00:00.000Z', '2026-03-02T22:12:00.000Z'],
      // 3 working days: Tue 3, Wed 4, Thu 5 March; 80% of 3d 13:59:59.999 after 03:00Z on the 2nd.
      ['advance_payment', '2026-03-05T16:59:59.999Z', '2026-03-04T23:47:59.999Z'],
      ['documents_reminder', '2026-03-09T16:59:59.999Z', expect.any(String)],
    ]);
    expect(plan.find((d) => d.kind === 'advance_payment')?.basis).toBe('Decree 67/2023/ND-CP Art. 14');
  });

  it('adds the Art. 31 payment deadline once the dossier is complete', () => {
    const plan = planDeadlines(product('MOTOR_OD'), {
      submitted,
      dossier_complete: new Date('2026-03-10T09:00:00+07:00'),
    });
    const payment = plan.find((d) => d.kind === 'payment');
    expect(payment).toMatchObject({
      from: 'dossier_complete',
      dueAt: '2026-03-25T16:59:59.999Z',
      basis: 'Law on Insurance Business 08/2022/QH15 Art. 31',
    });
    expect(planDeadlines(product('MOTOR_OD'), {})).toEqual([]);
  });

  it('can warn a fixed lead time before the due instant, never before the start', () => {
    const oneDay = 86_400_000;
    const plan = planDeadlines(product('MOTOR_TPL'), { submitted }, undefined, { kind: 'lead', ms: oneDay });
    const guidance = plan.find((d) => d.kind === 'guidance');
    expect(guidance?.atRiskAt).toBe(submitted.toISOString());
    const reminder = plan.find((d) => d.kind === 'documents_reminder');
    expect(reminder?.atRiskAt).toBe('2026-03-08T16:59:59.999Z');
  });
});

describe('deadlineStatus', () => {
  const start = new Date('2026-03-02T00:00:00Z');
  const due = new Date('2026-03-02T10:00:00Z');
  const d = { dueAt: due.toISOString(), atRiskAt: atRiskAt(start, due) };

  it('is ok before the at-risk mark, at risk up to and including the due instant, then breached', () => {
    expect(d.atRiskAt.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(deadlineStatus(d, new Date('2026-03-02T07:59:59.999Z'))).toBe('ok');
    expect(deadlineStatus(d, new Date('2026-03-02T08:00:00Z'))).toBe('at_risk');
    expect(deadlineStatus(d, due)).toBe('at_risk');
    expect(deadlineStatus(d, new Date(due.getTime() + 1))).toBe('breached');
  });
});

describe('latePaymentInterest', () => {
  const due = new Date('2026-03-17T16:59:59.999Z'); // end of 17 March, Vietnam time
  const amount = vnd(100_000_000);

  it('is zero when paid on time', () => {
    expect(latePaymentInterest(amount, due, due).amount).toBe(0);
    expect(latePaymentInterest(amount, due, new Date('2026-03-10T00:00:00Z')).amount).toBe(0);
  });

  it('charges 10%/year by default per calendar day late: 10 days on 100,000,000 → 273,973', () => {
    // 100,000,000 × 10% × 10 / 365 = 273,972.60… → 273,973.
    expect(latePaymentInterest(amount, due, new Date('2026-03-27T10:00:00+07:00'))).toEqual(vnd(273_973));
  });

  it('counts one day as soon as the due instant has passed', () => {
    // 100,000,000 × 10% / 365 = 27,397.26… → 27,397.
    expect(latePaymentInterest(amount, due, new Date(due.getTime() + 1)).amount).toBe(27_397);
    const hourly = new Date('2026-03-02T04:00:00Z');
    expect(latePaymentInterest(amount, hourly, new Date('2026-03-02T05:00:00Z')).amount).toBe(27_397);
  });

  it('takes the contract rate, rounds half up, and refuses rates above the Civil Code cap', () => {
    expect(latePaymentInterest(amount, due, new Date('2026-03-27T10:00:00+07:00'), 2_000).amount).toBe(
      547_945,
    );
    // 1,825 × 10% / 365 = 0.5 exactly → 1.
    expect(latePaymentInterest(vnd(1_825), due, new Date(due.getTime() + 1)).amount).toBe(1);
    expect(() => latePaymentInterest(amount, due, new Date(), 2_001)).toThrow(DomainError);
    expect(() => latePaymentInterest(amount, due, new Date(), -1)).toThrow(DomainError);
  });
});
