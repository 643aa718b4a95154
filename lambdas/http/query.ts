import type * as z from 'zod/mini';
import { DomainError } from '../core/errors.ts';
import { zodFieldIssues } from './body.ts';

/** Validates query-string values against their schema: a value out of bounds is a 400 with the field. */
export function parseQuery<S extends z.ZodMiniType>(schema: S, query: Record<string, string>): z.output<S> {
  const q = schema.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return q.data;
}
