import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { recordWorkflowFailure } from '../../app/workflow-failures.ts';
import { systemClock } from '../../core/time.ts';
import { ValidationError } from '../../core/errors.ts';
import { ExecutionStopped, FailureInput, failureOfStoppedExecution } from '../../core/workflow-failures.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

/**
 * The workflow's compensating step: see RecordWorkflowFailure (and RecordAcknowledgementFailure,
 * which goes on) in statemachines/claim-lifecycle.asl.json. Also told by EventBridge of an
 * execution that timed out or was stopped, which no Catch sees (core/workflow-failures.ts).
 */
export const handler = taskHandler(
  'RecordWorkflowFailure',
  z.union([
    z.object({
      claimId: z.string().check(z.minLength(1), z.maxLength(128)),
      executionName: z.string().check(z.minLength(1), z.maxLength(80)),
      failure: FailureInput,
      // Set by a Catch that goes on after recording (SendAcknowledgement's): the claim is not failed.
      continued: z.optional(z.boolean()),
    }),
    // An execution that timed out or was stopped, from EventBridge (lib/stateless-stack.ts).
    ExecutionStopped,
  ]),
  (input) => {
    if (!('detail' in input)) return recordWorkflowFailure(input, systemClock);
    const stopped = failureOfStoppedExecution(input.detail);
    if (!stopped) {
      const issue = { path: 'detail.input', code: 'custom', message: 'names no claim' };
      throw new ValidationError([issue], 'RecordWorkflowFailure: stopped execution of no claim');
    }
    return recordWorkflowFailure(stopped, systemClock);
  },
);
