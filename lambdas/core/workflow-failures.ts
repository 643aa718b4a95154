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

/**
 * Ways a claim's execution ends without passing its Catch, so the compensating state never runs:
 * Step Functions' one-year limit on an execution (TIMED_OUT; no state of the claim machine has a
 * timeout of its own) and a stop by hand (ABORTED). EventBridge reports them ("Step Functions
 * Execution Status Change") to the compensating function instead. FAILED is not one: every failure
 * of a state goes through the Catch to RecordWorkflowFailure before the execution fails.
 */
export const STOPPED_EXECUTION_STATUSES = ['TIMED_OUT', 'ABORTED'] as const;

/**
 * What a stopped execution is recorded under: no state failed, the execution was ended. The claim
 * may be anywhere, a payment step included, so a payout still waiting for a batch is held as after
 * a failed payment step.
 */
export const STOPPED_EXECUTION_STATE = 'Execution';

/** Whether a failure in this state holds a payout still waiting for a batch. */
export const holdsPayout = (state: string): boolean =>
  PAYMENT_STATES.has(state) || state === STOPPED_EXECUTION_STATE;

/** The EventBridge event of a claim execution that stopped (the fields used; the rest is kept). */
export const ExecutionStopped = /* @__PURE__ */ defineSchema(() =>
  z.looseObject({
    source: z.literal('aws.states'),
    'detail-type': z.literal('Step Functions Execution Status Change'),
    detail: z.looseObject({
      name: z.string().check(z.minLength(1), z.maxLength(80)),
      status: z.enum(STOPPED_EXECUTION_STATUSES),
      // The execution's input as JSON text; null when it was too large to include (never ours).
      input: z.nullable(z.string().check(z.maxLength(262_144))),
      error: z.optional(z.nullable(z.string().check(z.maxLength(256)))),
      cause: z.optional(z.nullable(z.string().check(z.maxLength(32_768)))),
    }),
  }),
);

/**
 * The compensating step's input for a stopped execution: the claim from the execution's input
 * (`{ claimId }`, lambdas/adapters/workflow.ts), its name, and the stop as a failure of
 * {@link STOPPED_EXECUTION_STATE}. Undefined when the input names no claim.
 */
export function failureOfStoppedExecution(
  detail: z.output<typeof ExecutionStopped>['detail'],
): { claimId: string; executionName: string; failure: z.output<typeof FailureInput> } | undefined {
  let claimId: unknown;
  try {
    claimId = (JSON.parse(detail.input ?? 'null') as { claimId?: unknown } | null)?.claimId;
  } catch {
    return undefined;
  }
  if (typeof claimId !== 'string' || claimId.length === 0 || claimId.length > 128) return undefined;
  const timedOut = detail.status === 'TIMED_OUT';
  return {
    claimId,
    executionName: detail.name,
    failure: {
      [STOPPED_EXECUTION_STATE]: {
        Error: detail.error ?? (timedOut ? 'States.Timeout' : 'ExecutionAborted'),
        Cause:
          detail.cause ??
          (timedOut
            ? 'The workflow reached the one-year limit of a Step Functions execution'
            : 'The workflow was stopped by hand (StopExecution)'),
      },
    },
  };
}

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
