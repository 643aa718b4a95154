import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../../shared/roles.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

/** A person who signs in: a customer or a member of staff. `userId` is the identity provider's `sub`. */
export interface UserProfile {
  userId: string;
  username: string;
  displayName: string;
  email: string;
  phone?: string;
  locale: 'vi' | 'en';
  roles: Role[];
  /** Set for customers: the policy system's customer id. */
  customerId?: string;
  /** Staff attributes used by assignment and authority checks. */
  staff?: {
    skills: string[];
    regions: string[];
    authorityLimit: number;
    active: boolean;
    department?: string;
  };
}

/** Access pattern: user profile by id. */
export async function getUser(userId: string): Promise<UserProfile | undefined> {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.user(userId) }));
  return r.Item ? stripKeys<UserProfile>(r.Item) : undefined;
}

export async function putUser(u: UserProfile): Promise<void> {
  const staffIndex = u.staff ? { gsi3pk: 'STAFF', gsi3sk: `${u.roles.join('+')}#${u.userId}` } : {};
  await dynamo().send(
    new PutCommand({ TableName: tableName(), Item: { ...keys.user(u.userId), ...staffIndex, entity: 'User', ...u } }),
  );
}
