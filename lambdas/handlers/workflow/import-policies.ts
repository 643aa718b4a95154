import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { importPolicyChunk } from '../../app/policy-import.ts';
import { readBudgetMs } from '../../core/policy-import.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'POLICY_IMPORTS_BUCKET');

/** The policy-import loop's state: the file, and after the first step the import id and `done`. */
const Input = z.object({
  bucket: z.string().check(z.minLength(3), z.maxLength(63)),
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
  etag: z._default(z.string().check(z.maxLength(200)), ''),
});

/**
 * One step of the policy-import state machine: reads until its time is nearly up, checkpoints,
 * and returns `done: false` for the state machine to call it again from the checkpoint.
 */
export const handler = taskHandler('ImportPolicies', Input, (input, context) =>
  importPolicyChunk(input, readBudgetMs(context.getRemainingTimeInMillis()), systemClock),
);
