import { requireEnv } from '../../adapters/env.ts';
import { configurationInForce } from '../../app/configuration.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('ListProductConfigs', {}, async () => ({
  body: await configurationInForce(),
}));
