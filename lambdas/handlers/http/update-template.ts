import { requireEnv } from '../../adapters/env.ts';
import { changeTemplate } from '../../app/template-configuration.ts';
import { TemplateChangeEnvelope } from '../../core/staff-schemas.ts';
import { systemClock } from '../../core/time.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler(
  'UpdateTemplate',
  { body: TemplateChangeEnvelope },
  async ({ principal, params, body }) => {
    const r = await changeTemplate(principal, params.templateName ?? '', body, systemClock);
    return { body: r, headers: { etag: `"${r.version}"` } };
  },
);
