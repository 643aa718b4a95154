import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
import { addCalendarDays, businessDate, startOfBusinessDay } from './time.ts';

/**
 * Per-caller write quotas (issue 8: the API stage's 50 rps is shared by everyone, so one customer
 * could file hundreds of claims or fill a claim with thousands of upload tickets). Each quota counts
 * per Vietnamese calendar day (Asia/Ho_Chi_Minh) and resets at midnight there; the counters are
 * conditional DynamoDB items that expire by TTL (lambdas/adapters/dynamo/quota-repo.ts).
 *
 * The limits are configuration: {@link DEFAULT_QUOTAS} are in force until an admin stores others
 * (the `QUOTAS` configuration scope, audited like product configs).
 */
export const QuotaLimits = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    /**
     * Claims filed for one customer per day, whoever files them: the customer on the web or staff
     * on the phone for that customer. A household or small fleet rarely has more than a few losses
     * in one day; a mass event (a typhoon) is handled by raising this for its duration.
     */
    claimsPerCustomerPerDay: z.int().check(z.gte(1), z.lte(100_000)),
    /**
     * Upload tickets (presigned POSTs) issued for one claim per day, by the customer and staff
     * together. A motor dossier is 10–25 files; re-sends after a refusal count too.
     */
    uploadsPerClaimPerDay: z.int().check(z.gte(1), z.lte(100_000)),
    /**
     * Messages the customer writes on one claim's thread per day (staff replies are not counted).
     * Each one e-mails the handler: a conversation needs a handful, a script could flood an inbox.
     * Defaulted, so a quota version stored before this limit existed still reads.
     */
    messagesPerClaimPerDay: z._default(z.int().check(z.gte(1), z.lte(100_000)), 20),
  }),
);
export type QuotaLimits = z.output<typeof QuotaLimits>;

/** The limits in force while no admin has stored others. */
export const DEFAULT_QUOTAS: QuotaLimits = {
  claimsPerCustomerPerDay: 20,
  uploadsPerClaimPerDay: 60,
  messagesPerClaimPerDay: 20,
};

export type QuotaName = 'claims' | 'uploads' | 'messages';

/**
 * A daily counter kept like a quota: the admin-set quotas, and the payout-account codes a claim may
 * be sent (a fixed limit, `MAX_CODE_REQUESTS_PER_DAY` in core/payout-account.ts), taken before a
 * code goes out so concurrent requests cannot send more than the limit.
 */
export type CounterName = QuotaName | 'accountCodes';

/** A counter is kept one day past its window, then DynamoDB's TTL removes it. */
const COUNTER_GRACE_SECONDS = 24 * 3600;

export interface QuotaWindow {
  /** The Vietnamese calendar date the counter is for (YYYY-MM-DD). */
  date: string;
  /** When the next window starts (midnight in Vietnam). */
  resetsAt: Date;
  /** Whole seconds until then, at least 1: the `Retry-After` of a refusal. */
  retryAfterSeconds: number;
  /** Epoch seconds after which the counter item may be deleted (the table's TTL attribute). */
  expiresAtEpoch: number;
}

/** The daily window `now` falls in. */
export function quotaWindow(now: Date): QuotaWindow {
  const date = businessDate(now);
  const resetsAt = startOfBusinessDay(addCalendarDays(date, 1));
  return {
    date,
    resetsAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)),
    expiresAtEpoch: Math.floor(resetsAt.getTime() / 1000) + COUNTER_GRACE_SECONDS,
  };
}

/**
 * One slot of a daily quota, taken in the same transaction as the write it counts (a claim-thread
 * message): the write and the count succeed or fail together, so a refused or failed write never
 * uses up a slot, and a slot is never taken for a write that did not happen.
 */
export interface QuotaSlot {
  quota: QuotaName;
  subject: string;
  limit: number;
  window: QuotaWindow;
}
