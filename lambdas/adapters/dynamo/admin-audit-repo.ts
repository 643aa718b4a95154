import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  type NativeAttributeValue,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type ClaimEvent, GENESIS_HASH, type NewEvent, sealEvents } from '../../core/events.ts';
import { dynamo } from '../aws-clients.ts';
import { keys, prefixes } from './keys.ts';
import { queryAll, under } from './query.ts';
import { tableName } from './table.ts';

/**
 * The admin audit chain: every configuration and staff change is an append-only event, hash-chained
 * like a claim's events (claimId `ADMIN`), written in the same transaction as the change itself.
 * The chain head (`lastSeq`, `lastHash`, `version`) is its own item, moved with a version condition,
 * so two admins changing different things at once cannot fork the chain.
 */
export const ADMIN_CHAIN_ID = 'ADMIN';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write whose condition belongs to the caller (optimistic locking on what is being changed). */
export interface GuardedWrite {
  item: TransactItem;
  /** The error for a failed condition; `current` is the item as stored now (raw attribute values), if any. */
  onConditionFailed: (current: Record<string, unknown> | undefined) => Error;
}

interface ChainHead {
  lastSeq: number;
  lastHash: string;
  version: number;
}

/** Reads a number attribute from a raw (not unmarshalled) item, as cancellation reasons carry it. */
export function rawNumber(item: Record<string, unknown> | undefined, name: string): number | undefined {
  const v = item?.[name] as { N?: string } | undefined;
  return v?.N === undefined ? undefined : Number(v.N);
}

/** The administration chain's head as last recorded (strongly consistent). */
export async function chainHead(): Promise<ChainHead> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: keys.adminChainHead(), ConsistentRead: true }),
  );
  return r.Item
    ? { lastSeq: Number(r.Item.lastSeq), lastHash: String(r.Item.lastHash), version: Number(r.Item.version) }
    : { lastSeq: 0, lastHash: GENESIS_HASH, version: 0 };
}

const eventItem = (e: ClaimEvent): Record<string, NativeAttributeValue> => ({
  ...keys.adminEvent(e.seq),
  // Not `ClaimEvent`: the table stream's claim-event consumers must never see these.
  entity: 'AdminEvent',
  ...e,
});

/** Another change moved the chain head between our read and our write: reseal and try again. */
const HEAD_ATTEMPTS = 5;

/**
 * Writes `writes` and the sealed `events` together, all or nothing. A failed condition on one of
 * `writes` becomes the caller's error (e.g. VERSION_CONFLICT); a race on the chain head alone is
 * retried with a fresh head, because the caller's change was not stale.
 */
export async function commitWithAudit(
  writes: readonly GuardedWrite[],
  events: readonly NewEvent[],
  at: Date,
): Promise<ClaimEvent[]> {
  for (let attempt = 1; ; attempt++) {
    const head = await chainHead();
    const sealed = sealEvents(ADMIN_CHAIN_ID, head.lastSeq, head.lastHash, events, at);
    const last = sealed.at(-1);
    const headWrite: TransactItem = {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.adminChainHead(),
          entity: 'AdminChainHead',
          lastSeq: last?.seq ?? head.lastSeq,
          lastHash: last?.hash ?? head.lastHash,
          version: head.version + 1,
        },
        ConditionExpression: head.version === 0 ? 'attribute_not_exists(pk)' : '#v = :v',
        ...(head.version === 0
          ? {}
          : {
              ExpressionAttributeNames: { '#v': 'version' },
              ExpressionAttributeValues: { ':v': head.version },
            }),
      },
    };
    try {
      await dynamo().send(
        new TransactWriteCommand({
          TransactItems: [
            ...writes.map((w) => w.item),
            headWrite,
            ...sealed.map((e) => ({
              Put: {
                TableName: tableName(),
                Item: eventItem(e),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          ],
        }),
      );
      return sealed;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      for (const [i, w] of writes.entries()) {
        const reason = reasons[i];
        if (reason?.Code === 'ConditionalCheckFailed') {
          throw w.onConditionFailed(reason.Item as Record<string, unknown> | undefined);
        }
      }
      // A moved head fails our condition; a transaction touching the same items at that very moment
      // is cancelled with TransactionConflict instead. Both are worth another go with a fresh head.
      const retry =
        reasons.slice(writes.length).some((r) => r.Code === 'ConditionalCheckFailed') ||
        reasons.some((r) => r.Code === 'TransactionConflict');
      if (!retry || attempt >= HEAD_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** Access pattern: the admin audit chain in order (for verification), all of it. */
export function adminEvents(): Promise<ClaimEvent[]> {
  return queryAll<ClaimEvent>({ ...under(keys.adminEvent(0).pk, prefixes.adminEvent), ConsistentRead: true });
}
