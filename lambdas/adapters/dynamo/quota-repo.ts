import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CounterName, QuotaName, QuotaSlot } from '../../core/quotas.ts';
import { TTL_ATTRIBUTE } from '../../shared/table-definition.ts';
import { dynamo } from '../aws-clients.ts';
import type { ItemRead } from './item-reads.ts';
import { tableName } from './table.ts';

/**
 * Daily quota counters: one item per (quota, subject, Vietnamese date), e.g.
 * `QUOTA#claims#CUS-0001` / `DAY#2026-12-02`, removed by the table's TTL a day after its window.
 * A slot is taken with one conditional UpdateItem (`used < limit`), which DynamoDB applies
 * atomically per item: concurrent takers can never push `used` past the limit.
 */
export const quotaKey = (quota: CounterName, subject: string, date: string) => ({
  pk: `QUOTA#${quota}#${subject}`,
  sk: `DAY#${date}`,
});

export interface TakeQuota {
  quota: CounterName;
  subject: string;
  date: string;
  limit: number;
  expiresAtEpoch: number;
  /**
   * What the slot is for (a claim id). A holder counts once however often it asks: a retried
   * submission finds its slot instead of taking a second one or being refused.
   */
  holder?: string;
}

export type TakeResult = { taken: true; used: number } | { taken: false; used: number };

/** Access pattern: take one slot of a daily quota, or learn that none is left. */
export async function takeQuotaSlot(t: TakeQuota): Promise<TakeResult> {
  const Key = quotaKey(t.quota, t.subject, t.date);
  const withinLimit = '(attribute_not_exists(#used) OR #used < :limit)';
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key,
        UpdateExpression: t.holder
          ? 'ADD #used :one, #holders :holder SET #ttl = :ttl, entity = :entity'
          : 'ADD #used :one SET #ttl = :ttl, entity = :entity',
        ConditionExpression: t.holder ? `${withinLimit} AND NOT contains(#holders, :holderId)` : withinLimit,
        ExpressionAttributeNames: {
          '#used': 'used',
          '#ttl': TTL_ATTRIBUTE,
          ...(t.holder ? { '#holders': 'holders' } : {}),
        },
        ExpressionAttributeValues: {
          ':one': 1,
          ':limit': t.limit,
          ':ttl': t.expiresAtEpoch,
          ':entity': 'QuotaCounter',
          ...(t.holder ? { ':holder': new Set([t.holder]), ':holderId': t.holder } : {}),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { taken: true, used: Number(r.Attributes?.used ?? 0) };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // Either the limit is reached or this holder already has its slot: read which (strongly).
    const current = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key, ConsistentRead: true }),
    );
    const used = Number(current.Item?.used ?? 0);
    const holders = current.Item?.holders as Set<string> | undefined;
    if (t.holder && holders?.has(t.holder)) return { taken: true, used };
    return { taken: false, used };
  }
}

/**
 * The same slot as {@link takeQuotaSlot}, as one item of a TransactWriteItems: the transaction is
 * cancelled (ConditionalCheckFailed on this item) when the quota is used up, or when `holder`
 * already holds a slot of it.
 */
export function quotaSlotUpdate(slot: QuotaSlot, holder?: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: quotaKey(slot.quota, slot.subject, slot.window.date),
      UpdateExpression: holder
        ? 'ADD #used :one, #holders :holder SET #ttl = :ttl, entity = :entity'
        : 'ADD #used :one SET #ttl = :ttl, entity = :entity',
      ConditionExpression: holder
        ? '(attribute_not_exists(#used) OR #used < :limit) AND NOT contains(#holders, :holderId)'
        : 'attribute_not_exists(#used) OR #used < :limit',
      ExpressionAttributeNames: {
        '#used': 'used',
        '#ttl': TTL_ATTRIBUTE,
        ...(holder ? { '#holders': 'holders' } : {}),
      },
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': slot.limit,
        ':ttl': slot.window.expiresAtEpoch,
        ':entity': 'QuotaCounter',
        ...(holder ? { ':holder': new Set([holder]), ':holderId': holder } : {}),
      },
    },
  };
}

/** A daily counter as one item of a combined read: how much is used, and by which holders. */
export function quotaRead(
  quota: QuotaName,
  subject: string,
  date: string,
): ItemRead<{ used: number; holders: ReadonlySet<string> }> {
  const key = quotaKey(quota, subject, date);
  return {
    keys: [key],
    decode: (found) => {
      const item = found(key);
      return {
        used: Number(item?.used ?? 0),
        holders: (item?.holders as Set<string> | undefined) ?? new Set<string>(),
      };
    },
  };
}

/** Access pattern: how much of a daily quota is used (0 when nothing was taken). */
export async function quotaUsed(quota: QuotaName, subject: string, date: string): Promise<number> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: quotaKey(quota, subject, date), ConsistentRead: true }),
  );
  return Number(r.Item?.used ?? 0);
}
