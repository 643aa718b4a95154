import document from '#openapi';
import { apiHandler } from '../../http/api-handler.ts';

export const handler = apiHandler('OpenApi', {}, async () => ({
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
