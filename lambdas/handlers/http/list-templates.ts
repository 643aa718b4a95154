import { requireEnv } from '../../adapters/env.ts';
import { templatesInForce } from '../../app/template-configuration.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListTemplates', {}, async () => ({
  body: await templatesInForce(),
}));
