import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { profileDirectoryEntries } from '../../core/customer-directory.ts';
import type { FingerprintedBankAccount } from '../../core/payout-account.ts';
import type { Role } from '../../shared/roles.ts';
import { VersionConflictError } from '../../core/errors.ts';
import { dynamo } from '../aws-clients.ts';
import { type GuardedWrite, rawNumber } from './admin-audit-repo.ts';
import { directoryPuts } from './customer-directory-repo.ts';
import {
  customerEmailIndexKeys,
  customerProfileIndexKeys,
  keys,
  stripKeys,
  usernameIndexKeys,
} from './keys.ts';
import { type ItemRead, itemRead } from './item-reads.ts';
import { queryAll } from './query.ts';
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
    /** Own bank account, checked against payout accounts (segregation of duties). */
    /** Masked and fingerprinted: the number itself is never stored (SoD needs only to match it). */
    bankAccount?: FingerprintedBankAccount;
    /**
     * Sessions opened before this (ISO) are refused (app/staff-context.ts `currentPrincipal`): set
     * when the account's contact details change, since an ID token outlives Cognito's global sign-out.
     */
    sessionsFrom?: string;
  };
  /** Bumped by every audited staff change (optimistic locking); absent on profiles never changed so. */
  version?: number;
}

/** Access pattern: user profile by id. */
export async function getUser(userId: string): Promise<UserProfile | undefined> {
  const r = await dynamo().send(new GetCommand({ TableName: tableName(), Key: keys.user(userId) }));
  return r.Item ? stripKeys<UserProfile>(r.Item) : undefined;
}

/** A profile by id as one item of a combined read. */
export function userRead(userId: string): ItemRead<UserProfile | undefined> {
  return itemRead(keys.user(userId), (item) => stripKeys<UserProfile>(item));
}

/**
 * Access pattern: the open workload of several members of staff (their counters, moved in the
 * transactions that assign, reassign, close and reopen claims), as one item of a combined read.
 * No counter yet is no open claim.
 */
export function workloadRead(staffIds: readonly string[]): ItemRead<Map<string, number>> {
  return {
    keys: staffIds.map((id) => keys.workload(id)),
    decode: (found) =>
      new Map(staffIds.map((id) => [id, Math.max(0, Number(found(keys.workload(id))?.openClaims ?? 0))])),
  };
}

/** The stored item of a profile: byUsername (GSI1) for everyone, staff by role (GSI3) for staff. */
export function userItem(u: UserProfile): Record<string, NativeAttributeValue> {
  const staffIndex = u.staff ? { gsi3pk: 'STAFF', gsi3sk: `${u.roles.join('+')}#${u.userId}` } : {};
  const customerIndex = u.customerId
    ? { ...customerProfileIndexKeys(u.customerId), ...customerEmailIndexKeys(u.email, u.userId) }
    : {};
  return {
    ...keys.user(u.userId),
    ...usernameIndexKeys(u.username),
    ...staffIndex,
    ...customerIndex,
    entity: 'User',
    ...u,
  };
}

/** Writes a profile; a customer's is written with its directory entries (the call centre finds them by these). */
export async function putUser(u: UserProfile): Promise<void> {
  if (!u.customerId) {
    await dynamo().send(new PutCommand({ TableName: tableName(), Item: userItem(u) }));
    return;
  }
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: userItem(u) } },
        ...directoryPuts(u.customerId, profileDirectoryEntries(u)),
      ],
    }),
  );
}

/** Access pattern: user by username (GSI1). Usernames are unique: staff creation checks this first. */
export async function getUserByUsername(username: string): Promise<UserProfile | undefined> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: { ':pk': usernameIndexKeys(username).gsi1pk, ':sk': 'USER' },
      Limit: 1,
    }),
  );
  const item = r.Items?.[0];
  return item ? stripKeys<UserProfile>(item) : undefined;
}

/** Access pattern: a customer's profile by the policy system's customer id (GSI2). */
export async function customerProfile(customerId: string): Promise<UserProfile | undefined> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk = :sk',
      ExpressionAttributeValues: { ':pk': customerProfileIndexKeys(customerId).gsi2pk, ':sk': 'USER' },
      Limit: 1,
    }),
  );
  const item = r.Items?.[0];
  return item ? stripKeys<UserProfile>(item) : undefined;
}

/** Access pattern: staff by role (GSI3 `STAFF`). */
export function listStaff(): Promise<UserProfile[]> {
  return queryAll<UserProfile>({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': 'STAFF' },
  });
}

/**
 * The write that saves a staff profile as part of an audited change: a new profile must not exist
 * yet; a changed one must still be at the version that was read (`undefined` = never versioned).
 */
export function staffProfileWrite(next: UserProfile, expected: 'new' | number | undefined): GuardedWrite {
  const condition =
    expected === 'new'
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : expected === undefined
        ? {
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#v)',
            ExpressionAttributeNames: { '#v': 'version' },
          }
        : {
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': expected },
          };
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: userItem(next),
        ...condition,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    onConditionFailed: (current) => new VersionConflictError(rawNumber(current, 'version')),
  };
}

/** Access pattern: customers whose registered email is this address (GSI4), for mail received from it. */
export async function customersByEmail(email: string): Promise<UserProfile[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :pk',
      ExpressionAttributeValues: { ':pk': customerEmailIndexKeys(email, '').gsi4pk },
      Limit: 10,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<UserProfile>(i));
}

/** A staff member's workload counter as stored (undefined: never moved), read strongly. */
export async function workloadCounter(staffId: string): Promise<number | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.workload(staffId), ConsistentRead: true }),
  );
  return r.Item?.openClaims as number | undefined;
}

/**
 * Sets a workload counter to `now` if it still holds `was` (a backfill's correction): false when a
 * claim change moved it meanwhile.
 */
export async function setWorkloadCounter(
  staffId: string,
  was: number | undefined,
  now: number,
): Promise<boolean> {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.workload(staffId),
        UpdateExpression: 'SET #open = :now, entity = :entity',
        ConditionExpression: was === undefined ? 'attribute_not_exists(#open)' : '#open = :was',
        ExpressionAttributeNames: { '#open': 'openClaims' },
        ExpressionAttributeValues: {
          ':now': now,
          ':entity': 'StaffWorkload',
          ...(was === undefined ? {} : { ':was': was }),
        },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
