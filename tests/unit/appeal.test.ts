import { describe, expect, it } from 'vitest';
import {
  AppealBody,
  appealWindowEnd,
  DEFAULT_APPEAL_WINDOW,
  fileAppeal,
  settleAppeal,
} from '../../lambdas/core/appeal.ts';
import type { ClaimDecision } from '../../lambdas/core/claim.ts';
import { canTransition } from '../../lambdas/core/lifecycle.ts';

const rejection: ClaimDecision = {
  outcome: 'reject',
  amount: { amount: 0, currency: 'VND' },
  reasons: [{ clause: 'Điều 12.3', text: 'Không có giấy phép lái xe hợp lệ.' }],
  // 10:00 in Hà Nội on 2 December 2026.
  decidedAt: '2026-12-02T03:00:00.000Z',
  decidedBy: { id: 'adj-1', role: 'adjuster' },
};
const rejected = { status: 'REJECTED' as const, decision: rejection };
const reason = 'Tôi có giấy phép lái xe hợp lệ.';

describe('the appeal window', () => {
  it('runs 30 calendar days from the rejection letter by default, to the end of the last day (Hà Nội)', () => {
    expect(DEFAULT_APPEAL_WINDOW.amount).toBe(30);
    // The 30th day, Friday 1 January 2027, is New Year's Day: the window runs to the end of the next
    // working day, Monday 4 January (Civil Code Art. 148(5); the customer's period).
    expect(appealWindowEnd(rejection.decidedAt, undefined).toISOString()).toBe('2027-01-04T16:59:59.999Z');
  });

  it('does not end inside Tết: rejected 16 Jan 2026, the 30th day (Sun 15 Feb) is in the break, so an appeal on Mon 23 Feb is in time', () => {
    const decidedAt = '2026-01-16T03:00:00.000Z';
    // The shipped calendar's Tết Bính Ngọ break runs 14–22 February 2026.
    expect(appealWindowEnd(decidedAt, undefined).toISOString()).toBe('2026-02-23T16:59:59.999Z');
    const tet = { ...rejected, decision: { ...rejection, decidedAt } };
    const a = fileAppeal(tet, reason, new Date('2026-02-23T02:00:00Z'), undefined);
    expect(a.windowEndsAt).toBe('2026-02-23T16:59:59.999Z');
    expect(() => fileAppeal(tet, reason, new Date('2026-02-23T17:00:00Z'), undefined)).toThrow(
      /time to appeal/,
    );
  });

  it("follows the product's own rule when it has one", () => {
    const product = {
      deadlines: [
        {
          kind: 'appeal_window' as const,
          from: 'rejected' as const,
          amount: 10,
          unit: 'calendar_days' as const,
          basis: 'x',
        },
      ],
    };
    // 10 days: Saturday 12 December 2026, so to the end of Monday 14 December (Art. 148(5)).
    expect(appealWindowEnd(rejection.decidedAt, product).toISOString()).toBe('2026-12-14T16:59:59.999Z');
  });
});

describe('filing an appeal', () => {
  it('within the window: open, with the decision deadline and the rejection it is against', () => {
    const a = fileAppeal(rejected, reason, new Date('2026-12-20T02:00:00Z'), undefined);
    expect(a).toMatchObject({ status: 'open', reason, rejection, windowEndsAt: '2027-01-04T16:59:59.999Z' });
    // 15 working days from Sunday 20 December 2026 (Hà Nội): Monday 11 January 2027 (1 January is a holiday).
    expect(a.decideBy).toBe('2027-01-11T16:59:59.999Z');
    expect(canTransition('REJECTED', 'UNDER_ASSESSMENT')).toBe(true);
  });

  it('refuses one out of time, a second one, and one on a claim not rejected, each with its code', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'no error';
    };
    expect(code(() => fileAppeal(rejected, reason, new Date('2027-01-04T17:00:00Z'), undefined))).toBe(
      'APPEAL_WINDOW_CLOSED',
    );
    const first = fileAppeal(rejected, reason, new Date('2026-12-03T00:00:00Z'), undefined);
    expect(
      code(() =>
        fileAppeal({ ...rejected, appeal: first }, reason, new Date('2026-12-04T00:00:00Z'), undefined),
      ),
    ).toBe('APPEAL_ALREADY_FILED');
    expect(
      code(() =>
        fileAppeal({ status: 'UNDER_ASSESSMENT', decision: undefined }, reason, new Date(), undefined),
      ),
    ).toBe('APPEAL_NOT_ALLOWED');
  });

  it('keeps the window the rejection letter stated, whatever the product says later', () => {
    // Rejected with a 30-day window (appealBy stored), then the admin shortens the window to 2 days.
    const stated = { ...rejection, appealBy: '2027-01-01T16:59:59.999Z' };
    const shortened = {
      deadlines: [
        {
          kind: 'appeal_window' as const,
          from: 'rejected' as const,
          amount: 2,
          unit: 'calendar_days' as const,
          basis: 'x',
        },
      ],
    };
    const a = fileAppeal(
      { ...rejected, decision: stated },
      reason,
      new Date('2026-12-12T02:00:00Z'),
      shortened,
    );
    expect(a.windowEndsAt).toBe('2027-01-01T16:59:59.999Z');
    // A rejection stored before the day was kept falls back to the rule in force.
    expect(() => fileAppeal(rejected, reason, new Date('2026-12-12T02:00:00Z'), shortened)).toThrow(
      /time to appeal/,
    );
  });

  it('bounds the reason', () => {
    expect(AppealBody.safeParse({ reason: 'ngắn' }).success).toBe(false);
    expect(AppealBody.safeParse({ reason: 'x'.repeat(2001) }).success).toBe(false);
    expect(AppealBody.safeParse({ reason, extra: 1 }).success).toBe(false);
  });
});

describe('settling an appeal', () => {
  const open = fileAppeal(rejected, reason, new Date('2026-12-03T00:00:00Z'), undefined);
  it('a new rejection upholds it; an approval overturns it; a request for approval decides nothing', () => {
    expect(settleAppeal(open, 'REJECTED', 'now')?.status).toBe('upheld');
    expect(settleAppeal(open, 'APPROVED', 'now')?.status).toBe('overturned');
    // Asking for approval decides nothing yet: it may be sent back and the claim rejected again.
    expect(settleAppeal(open, 'PENDING_APPROVAL', 'now')).toBeUndefined();
    expect(settleAppeal(open, 'JOINT_REVIEW', 'now')).toBeUndefined();
    expect(settleAppeal(open, 'PARTIALLY_APPROVED', 'now')?.status).toBe('overturned');
    expect(settleAppeal(open, 'INFO_REQUESTED', 'now')).toBeUndefined();
    expect(settleAppeal({ ...open, status: 'upheld' }, 'APPROVED', 'now')).toBeUndefined();
    expect(settleAppeal(undefined, 'REJECTED', 'now')).toBeUndefined();
  });
});
