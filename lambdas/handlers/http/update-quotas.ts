import { requireEnv } from '../../adapters/env.ts';
import { changeQuotas } from '../../app/configuration.ts';
import { QuotasChange } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('UpdateQuotas', { body: QuotasChange }, async ({ principal, body }) => {
  const r = await changeQuotas(principal, body, systemClock);
  return { body: r, headers: { etag: `"${r.version}"` } };
});
