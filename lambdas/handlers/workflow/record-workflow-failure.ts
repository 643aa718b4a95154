import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { recordWorkflowFailure } from '../../app/workflow-failures.ts';
import { systemClock } from '../../core/time.ts';
import { FailureInput } from '../../core/workflow-failures.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME');

/**
 * The workflow's compensating step: see RecordWorkflowFailure (and RecordAcknowledgementFailure,
 * which goes on) in statemachines/claim-lifecycle.asl.json.
 */
export const handler = taskHandler(
  'RecordWorkflowFailure',
  z.object({
    claimId: z.string().check(z.minLength(1), z.maxLength(128)),
    executionName: z.string().check(z.minLength(1), z.maxLength(80)),
    failure: FailureInput,
    // Set by a Catch that goes on after recording (SendAcknowledgement's): the claim is not failed.
    continued: z.optional(z.boolean()),
  }),
  (input) => recordWorkflowFailure(input, systemClock),
);
