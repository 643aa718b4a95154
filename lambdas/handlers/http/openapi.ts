import { apiHandler } from '../../http/api-handler.ts';
import { buildOpenApi } from '../../http/openapi.ts';

const document = buildOpenApi();

export const handler = apiHandler('OpenApi', {}, async () => ({
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
