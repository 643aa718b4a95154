import { apiHandler } from '../../http/api-handler.ts';

export const handler = apiHandler('Health', {}, async () => ({
  body: { status: 'ok', at: new Date().toISOString() },
}));
