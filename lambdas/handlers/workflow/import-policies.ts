import * as z from 'zod/mini';
import { requireEnv } from '../../adapters/env.ts';
import { importPolicyChunk, recordImportFailure } from '../../app/policy-import.ts';
import { readBudgetMs } from '../../core/policy-import.ts';
import { systemClock } from '../../core/time.ts';
import { taskHandler } from '../../http/task-handler.ts';

requireEnv('TABLE_NAME', 'POLICY_IMPORTS_BUCKET');

/**
 * The policy-import loop's state: the file, and after the first step the import id and `done`;
 * on the failure path, the error the state machine caught (`{Error, Cause}`).
 */
const Input = z.object({
  bucket: z.string().check(z.minLength(3), z.maxLength(63)),
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
  etag: z._default(z.string().check(z.maxLength(200)), ''),
  failed: z.optional(
    z.object({
      Error: z.optional(z.string().check(z.maxLength(256))),
      Cause: z.optional(z.string().check(z.maxLength(32_768))),
    }),
  ),
});

/**
 * One step of the policy-import state machine: reads until its time is nearly up, checkpoints,
 * and returns `done: false` for the state machine to call it again from the checkpoint. Called
 * with `failed` by the state machine's Catch: marks the import failed at its checkpoint.
 */
export const handler = taskHandler('ImportPolicies', Input, ({ failed, ...file }, context) =>
  failed
    ? recordImportFailure(file, failed, systemClock)
    : importPolicyChunk(file, readBudgetMs(context.getRemainingTimeInMillis()), systemClock),
);
