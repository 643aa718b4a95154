import * as z from 'zod/mini';
import { defineSchema } from './define-schema.ts';

/**
 * A workflow step that failed for good (after the ASL's retries). The ASL's Catch puts the error
 * under `$.failure.<state name>`, so the compensating task learns which state failed; this module
 * turns that into what staff see: the state, the error name and a short cause (never a stack trace).
 */
export interface WorkflowFailure {
  /** The execution that stopped (one failure per execution). */
  executionName: string;
  state: string;
  error: string;
  cause: string;
  failedAt: string;
  /** A payout the payment steps had queued was taken out of finance's queue. */
  paymentHeld: boolean;
  /**
   * The workflow went on without the step (its failure must not stop the claim: the
   * acknowledgement); unset when the execution stopped there.
   */
  continued?: boolean;
}

/** The Catch output the compensating task receives: `{ <state>: { Error, Cause } }`. */
export const FailureInput = /* @__PURE__ */ defineSchema(() =>
  z.record(
    z.string().check(z.maxLength(80)),
    z.looseObject({
      Error: z.optional(z.string().check(z.maxLength(256))),
      Cause: z.optional(z.string().check(z.maxLength(32_768))),
    }),
  ),
);

/** States after which a payout may exist that nobody will see through: it is held, never released. */
export const PAYMENT_STATES: ReadonlySet<string> = new Set(['QueuePayment', 'AwaitPayment', 'RecordPayment']);

const MAX_CAUSE = 500;

/**
 * The failed state, its error and a readable cause. Lambda's Cause is JSON
 * (`{ errorType, errorMessage, trace }`): only the message is kept, so no stack trace reaches a screen.
 */
export function describeFailure(failure: z.output<typeof FailureInput>): {
  state: string;
  error: string;
  cause: string;
} {
  const [state, detail] = Object.entries(failure)[0] ?? ['unknown', {}];
  const raw = detail.Cause ?? '';
  let cause = raw;
  try {
    const parsed = JSON.parse(raw) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // Not JSON (a SendTaskFailure cause, or a States.* error): kept as written.
  }
  return { state, error: detail.Error ?? 'UnknownError', cause: cause.slice(0, MAX_CAUSE) };
}

/** POST /claims/{claimId}/workflow/acknowledge: what the supervisor did about it. */
export const AcknowledgeFailureBody = /* @__PURE__ */ defineSchema(() =>
  z.strictObject({
    note: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)),
  }),
);
