import { getUser } from '../../adapters/dynamo/users-repo.ts';
import { maskedAccount } from '../../core/payout-account.ts';
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
      // Staff see their own limits, so the console can say before a decision whether it will escalate;
      // their account masked as every other view shows it, never its keyed fingerprint or the
      // session cut-off.
      staff: profile?.staff && {
        skills: profile.staff.skills,
        regions: profile.staff.regions,
        authorityLimit: profile.staff.authorityLimit,
        active: profile.staff.active,
        ...(profile.staff.department ? { department: profile.staff.department } : {}),
        ...(profile.staff.bankAccount ? { bankAccount: maskedAccount(profile.staff.bankAccount) } : {}),
      },
    },
  };
});
