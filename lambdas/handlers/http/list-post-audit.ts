import { requireEnv } from '../../adapters/env.ts';
import { listPostAudit } from '../../app/post-audit.ts';
import { DomainError } from '../../core/errors.ts';
import { PostAuditQuery } from '../../core/post-audit.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListPostAudit', {}, async ({ principal, query }) => {
  const q = PostAuditQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return { body: { items: await listPostAudit(principal, q.data.status) } };
});
