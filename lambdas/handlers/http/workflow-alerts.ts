import { requireEnv } from '../../adapters/env.ts';
import { workflowFailureAlerts } from '../../app/workflow-failures.ts';
import { workflowAlerts } from '../../app/workflow-signals.ts';
import { DomainError } from '../../core/errors.ts';
import { systemClock } from '../../core/time.ts';
import { AlertQuery } from '../../core/workflow-signals.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { zodFieldIssues } from '../../http/body.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('WorkflowAlerts', {}, async ({ principal, query }) => {
  const q = AlertQuery.safeParse(query);
  if (!q.success)
    throw new DomainError('VALIDATION_FAILED', 'Bad query', { fields: zodFieldIssues(q.error) });
  return {
    status: 200,
    body: {
      alerts: await workflowAlerts(principal, q.data.olderThanSeconds, systemClock),
      failures: await workflowFailureAlerts(principal),
    },
  };
});
