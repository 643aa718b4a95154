import { requireEnv } from '../../adapters/env.ts';
import { decideAdminChange } from '../../app/admin-changes.ts';
import { AdminChangeDecisionBody } from '../../core/admin-changes.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME', 'USER_POOL_ID');

/** POST /admin/changes/{changeId}: approve or reject (another administrator), or withdraw (the proposer). */
export const handler = apiHandler(
  'DecideAdminChange',
  { body: AdminChangeDecisionBody },
  async ({ principal, params, body }) => ({
    body: await decideAdminChange(principal, params.changeId ?? '', body, systemClock),
  }),
);
