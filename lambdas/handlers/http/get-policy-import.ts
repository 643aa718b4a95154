import { requireEnv } from '../../adapters/env.ts';
import { policyImportReport } from '../../app/policy-import.ts';
import { ListQuery } from '../../core/api-schemas.ts';
import { DomainError } from '../../core/errors.ts';
import { ImportIdParam } from '../../core/policy-import.ts';
import { apiHandler } from '../../http/api-handler.ts';
import { parseQuery } from '../../http/query.ts';

requireEnv('TABLE_NAME', 'CURSOR_SIGNING_KEY');

export const handler = apiHandler('GetPolicyImport', {}, async ({ principal, params, query }) => {
  const id = ImportIdParam.safeParse(params.importId);
  if (!id.success) throw new DomainError('POLICY_IMPORT_NOT_FOUND', 'Import not found');
  const q = parseQuery(ListQuery, query);
  return { body: await policyImportReport(principal.userId, id.data, q.limit, q.cursor) };
});
