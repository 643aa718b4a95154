import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import {
  isDomainError,
  TransientDependencyError,
  ValidationError,
  workflowErrorName,
} from '../core/errors.ts';
import { logger } from '../runtime/logger.ts';
import { isTransient } from '../runtime/transient-errors.ts';
import { zodFieldIssues } from './body.ts';

/**
 * Wraps a Step Functions / Scheduler / S3 task. Inputs are validated; failures leave as *named*
 * errors the ASL `Retry`/`Catch` match on: domain errors leave under their specific name
 * (core/errors.ts workflowErrorName), throttling and
 * server faults of AWS services (runtime/transient-errors.ts) become `TransientDependencyError`.
 * No HTTP concepts here.
 */
export function taskHandler<S extends z.ZodMiniType, R>(
  name: string,
  input: S,
  fn: (input: z.output<S>, context: Context) => Promise<R>,
) {
  return middy<unknown, R>().handler(async (event, context) => {
    logger.appendKeys({ task: name });
    const parsed = input.safeParse(event);
    if (!parsed.success) throw new ValidationError(zodFieldIssues(parsed.error), `${name}: bad input`);
    try {
      return await fn(parsed.data, context);
    } catch (e) {
      if (isDomainError(e)) {
        // Leaves under its specific name (ClaimNotFoundError, InvalidTransitionError, …): Lambda
        // reports `name` as the errorType that the ASL's Retry/Catch match.
        Object.defineProperty(e, 'name', { value: workflowErrorName(e), configurable: true });
        throw e;
      }
      if (isTransient(e)) {
        const sdk = e as { name?: string; message?: string };
        logger.warn('transient failure', { error: e as Error });
        throw new TransientDependencyError(`${sdk.name ?? 'Error'}: ${sdk.message ?? ''}`);
      }
      logger.error('task failed', { error: e as Error });
      throw e;
    }
  });
}
