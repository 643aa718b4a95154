import { requireEnv } from '../../adapters/env.ts';
import { workQueue } from '../../app/queue.ts';
import { DomainError } from '../../core/errors.ts';
import { QueueQuery } from '../../core/staff-schemas.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('StaffQueue', {}, async ({ principal, query }) => {
  const q = QueueQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return { body: await workQueue(principal, q.data, new Date()) };
});
