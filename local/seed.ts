import { putPolicy } from '../lambdas/adapters/dynamo/policies-repo.ts';
import { putUser } from '../lambdas/adapters/dynamo/users-repo.ts';
import { Policy } from '../lambdas/core/policy.ts';
import { DEMO_USERS, demoPolicies } from './demo-data.ts';

/** Writes the demo users and policies through the same adapters the Lambdas use. */
export async function seedDemoData(now = new Date()): Promise<{ users: number; policies: number }> {
  const policies = demoPolicies(now).map((p) => Policy.parse(p));
  await Promise.all([...DEMO_USERS.map(putUser), ...policies.map(putPolicy)]);
  return { users: DEMO_USERS.length, policies: policies.length };
}
