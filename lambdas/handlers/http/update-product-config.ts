import { requireEnv } from '../../adapters/env.ts';
import { changeProductConfig } from '../../app/configuration.ts';
import { ProductConfigChangeEnvelope } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'UpdateProductConfig',
  { body: ProductConfigChangeEnvelope },
  async ({ principal, params, body }) => {
    const r = await changeProductConfig(principal, params.productCode ?? '', body, systemClock);
    // 202: a loosened money control awaits a second administrator (GET /admin/changes).
    return { status: r.pending ? 202 : 200, body: r, headers: { etag: `"${r.version}"` } };
  },
);
