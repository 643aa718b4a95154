import { type NativeAttributeValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { VersionConflictError } from '../../core/errors.ts';
import { dynamo } from '../aws-clients.ts';
import { type GuardedWrite, rawNumber } from './admin-audit-repo.ts';
import { getItems, type ItemRead, readAll } from './item-reads.ts';
import { keys, prefixes } from './keys.ts';
import { under } from './query.ts';
import { tableName } from './table.ts';

/**
 * Versioned configuration (product configs, the holiday calendar). Each version is an immutable
 * item (`sk = V#<version>`); `CURRENT` is a copy of the version in force, so a read is one GetItem
 * and a change is one transaction that adds the version and moves the pointer, conditioned on the
 * version the admin saw.
 */
export interface StoredConfig<T = unknown> {
  scope: string;
  version: number;
  value: T;
  updatedAt: string;
  /** userId of the admin who made the change. */
  updatedBy: string;
}

export type ConfigVersionInfo = Omit<StoredConfig, 'value' | 'scope'>;

const fromItem = (i: Record<string, NativeAttributeValue>): StoredConfig => ({
  scope: String(i.scope),
  version: Number(i.version),
  value: i.value,
  updatedAt: String(i.updatedAt),
  updatedBy: String(i.updatedBy),
});

/** Access pattern: configuration in force, for several scopes at once (CURRENT items, BatchGet). */
export async function currentConfigs(scopes: readonly string[]): Promise<Map<string, StoredConfig>> {
  return (await currentConfigsWith(scopes, readAll({}))).configs;
}

/**
 * The configuration in force and the items of `also` in the same BatchGetItem: a step that needs
 * the configuration and its claim (or policy, or counter) reads both at once.
 */
export async function currentConfigsWith<T>(
  scopes: readonly string[],
  also: ItemRead<T>,
): Promise<{ configs: Map<string, StoredConfig>; also: T }> {
  const configKeys = scopes.map((s) => keys.configCurrent(s));
  const found = await getItems([...configKeys, ...also.keys]);
  const configs = new Map<string, StoredConfig>();
  for (const key of configKeys) {
    const item = found(key);
    if (item) {
      const c = fromItem(item);
      configs.set(c.scope, c);
    }
  }
  return { configs, also: also.decode(found) };
}

/** Access pattern: a configuration's version history, newest first (metadata only). */
export async function configHistory(scope: string, limit = 20): Promise<ConfigVersionInfo[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      ...under(keys.configCurrent(scope).pk, prefixes.configVersion),
      ProjectionExpression: '#v, updatedAt, updatedBy',
      ExpressionAttributeNames: { '#v': 'version' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => ({
    version: Number(i.version),
    updatedAt: String(i.updatedAt),
    updatedBy: String(i.updatedBy),
  }));
}

/**
 * The writes that make `next` the version in force: the new immutable version (its key must be
 * new) and the CURRENT pointer, conditioned on still being at `expectedVersion` (absent for 0).
 * Either condition failing means someone else changed it first: VERSION_CONFLICT.
 */
export function configChangeWrites<T>(
  next: Omit<StoredConfig<T>, 'version'>,
  expectedVersion: number,
): GuardedWrite[] {
  const version = expectedVersion + 1;
  const body = { entity: 'Config', ...next, version };
  const conflict = (current: Record<string, unknown> | undefined) =>
    new VersionConflictError(rawNumber(current, 'version') ?? (current ? undefined : 0));
  // The pointer first: its cancellation reason carries the version now in force.
  return [
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...keys.configCurrent(next.scope), ...body },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
          ...(expectedVersion === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: conflict,
    },
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: { ...keys.configVersion(next.scope, version), ...body },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // The version exists already, so somebody moved past `expectedVersion`.
      onConditionFailed: () => new VersionConflictError(undefined),
    },
  ];
}
