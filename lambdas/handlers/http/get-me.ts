import { getUser } from '../../adapters/dynamo/users-repo.ts';
import { requireEnv } from '../../adapters/env.ts';
import { apiHandler } from '../../http/api-handler.ts';

requireEnv('TABLE_NAME');

export const handler = apiHandler('GetMe', {}, async ({ principal }) => {
  const profile = await getUser(principal.userId);
  return {
    body: {
      userId: principal.userId,
      username: principal.username,
      roles: principal.roles,
      customerId: principal.customerId,
      displayName: profile?.displayName ?? principal.username,
      email: profile?.email ?? principal.email,
      phone: profile?.phone,
      locale: profile?.locale ?? principal.locale,
      // Staff see their own limits, so the console can say before a decision whether it will escalate.
      staff: profile?.staff,
    },
  };
});
