import { describe, expect, it } from 'vitest';
import {
  codeLocked,
  MAX_CODE_ATTEMPTS,
  MAX_CODE_REQUESTS_PER_DAY,
  nextCodeCounters,
} from '../../lambdas/core/payout-account.ts';

/** 10:00 in Vietnam on 4 December 2026, and the same day's 23:30. */
const morning = new Date('2026-12-04T03:00:00Z');
const lateEvening = new Date('2026-12-04T16:30:00Z');
/** 00:30 on 5 December in Vietnam (still 4 December in UTC). */
const afterMidnight = new Date('2026-12-04T17:30:00Z');

describe('confirmation codes for a change of payout account', () => {
  it('starts the day with no wrong tries and one code', () => {
    expect(nextCodeCounters(undefined, morning)).toEqual({ attempts: 0, requests: 1 });
  });

  it('carries the day’s wrong tries over to a new code, so asking again does not buy more guesses', () => {
    const previous = { requestedAt: morning.toISOString(), attempts: 4, requests: 2 };
    expect(nextCodeCounters(previous, lateEvening)).toEqual({ attempts: 4, requests: 3 });
    // A change asked for before the count of codes was kept counts as one code.
    expect(nextCodeCounters({ requestedAt: morning.toISOString(), attempts: 1 }, lateEvening)).toEqual({
      attempts: 1,
      requests: 2,
    });
  });

  it('refuses a new code once the day’s wrong tries or codes are used up, and starts again at midnight in Vietnam', () => {
    const guessed = { requestedAt: morning.toISOString(), attempts: MAX_CODE_ATTEMPTS, requests: 1 };
    expect(nextCodeCounters(guessed, lateEvening)).toBe('limit');
    const asked = { requestedAt: morning.toISOString(), attempts: 0, requests: MAX_CODE_REQUESTS_PER_DAY };
    expect(nextCodeCounters(asked, lateEvening)).toBe('limit');
    expect(nextCodeCounters(guessed, afterMidnight)).toEqual({ attempts: 0, requests: 1 });
    expect(nextCodeCounters(asked, afterMidnight)).toEqual({ attempts: 0, requests: 1 });
  });

  it('locks the code for the rest of the day after the last wrong try', () => {
    const pending = { requestedAt: morning.toISOString(), attempts: MAX_CODE_ATTEMPTS };
    expect(codeLocked(pending, lateEvening)).toBe(true);
    expect(codeLocked({ ...pending, attempts: MAX_CODE_ATTEMPTS - 1 }, lateEvening)).toBe(false);
    expect(codeLocked(pending, afterMidnight)).toBe(false);
  });
});
