import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';
/**
 * What a claim change owes the workflow: start it, resume a wait with an output, or fail a wait
 * with a named error. A signal is written in the same transaction as the change that causes it
 * (the outbox) and delivered from the table stream with retries, so a failure after the write is
 * retried, never lost. Delivering a signal twice has one effect: executions are named after the
 * claim and task tokens are single-use.
 */
export type WorkflowSignal =
  | { kind: 'start' }
  | { kind: 'resume'; token: string; output: Record<string, unknown> }
  | { kind: 'fail'; token: string; error: string; cause: string }
  /**
   * A new execution for a claim whose first one ended (an appeal reopens a rejected claim): named
   * `execution` (so a redelivery is a no-op), entering the state machine at `entry`.
   */
  | { kind: 'reopen'; execution: string; entry: 'appeal' };

/** A signal as stored: keyed by the claim revision whose write owes it, then its `index`. */
export interface StoredSignal {
  claimId: string;
  revision: number;
  index: number;
  signal: WorkflowSignal;
  createdAt: string;
  deliveredAt?: string;
  /** Why the last delivery attempt failed, for the operator's alert. */
  lastError?: string;
}

export const startSignal = (): WorkflowSignal => ({ kind: 'start' });
export const resumeSignal = (token: string, output: Record<string, unknown>): WorkflowSignal => ({
  kind: 'resume',
  token,
  output,
});
export const failSignal = (token: string, error: string, cause: string): WorkflowSignal => ({
  kind: 'fail',
  token,
  error,
  cause: cause.slice(0, 256),
});

export const reopenSignal = (execution: string, entry: 'appeal'): WorkflowSignal => ({
  kind: 'reopen',
  execution,
  entry,
});

/** How long a signal may wait for delivery before the operator hears about it. */
export const ALERT_AFTER_SECONDS = 120;

/** GET /workflow/alerts: signals older than this many seconds (at most 30 days). */
export const AlertQuery = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    olderThanSeconds: z._default(
      z.coerce.number().check(z.int(), z.gte(0), z.lte(30 * 86_400)),
      ALERT_AFTER_SECONDS,
    ),
  }),
);
