import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeLease } from '../../runtime/notice-lease.ts';
import { TTL_ATTRIBUTE } from '../../shared/table-definition.ts';
import { dynamo } from '../aws-clients.ts';
import { keys } from './keys.ts';
import { tableName } from './table.ts';

/**
 * Access pattern: "was this notification sent already?" — one item per claim, occasion, channel and
 * recipient. A sender takes it (`sending`) before it sends and marks it `sent` after; a redelivered
 * stream record, a retried workflow step or a schedule fired twice finds it taken and sends nothing.
 * A `sending` item left by a sender that crashed mid-send is taken over after `staleAfterMs`, or at
 * once by a later invocation of the lane that took it (runtime/notice-lease.ts).
 */
const KEEP_SECONDS = 90 * 86_400;

/**
 * What taking a notice found: `taken` (this sender sends it now), `sent` (it went out before), or
 * `sending` (another attempt took it within `staleAfterMs` and has not said how it went: it may be
 * sending now, or it crashed before the service answered, and then nobody has sent it yet).
 */
export type NoticeTake = 'taken' | 'sent' | 'sending';

export async function takeNotice(
  claimId: string,
  key: string,
  now: Date,
  staleAfterMs: number,
  /**
   * The taking invocation's lease (runtime/notice-lease.ts): it is kept on the notice, and a notice
   * another invocation of the same lane holds is taken over at once, that holder being over.
   */
  lease?: NoticeLease,
): Promise<NoticeTake> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.notice(claimId, key),
          entity: 'Notice',
          status: 'sending',
          at: now.toISOString(),
          ...(lease ? { holder: lease.holder, lane: lease.lane } : {}),
          [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
        },
        // A notice past its TTL counts as gone even before DynamoDB deletes it (which can take days).
        ConditionExpression: `attribute_not_exists(pk) OR (#s = :sending AND #at < :stale) OR #exp < :now${
          lease ? ' OR (#s = :sending AND #lane = :lane AND #holder <> :holder)' : ''
        }`,
        ExpressionAttributeNames: {
          '#s': 'status',
          '#at': 'at',
          '#exp': TTL_ATTRIBUTE,
          ...(lease ? { '#lane': 'lane', '#holder': 'holder' } : {}),
        },
        ExpressionAttributeValues: {
          ':now': Math.floor(now.getTime() / 1000),
          ':sending': 'sending',
          ':stale': new Date(now.getTime() - staleAfterMs).toISOString(),
          ...(lease ? { ':lane': lease.lane, ':holder': lease.holder } : {}),
        },
        // Which of the two it is, in the same request.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'taken';
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // The item as it was (raw attribute values: the document client does not convert an error's).
    return e.Item?.['status']?.S === 'sending' ? 'sending' : 'sent';
  }
}

/** Marks a notice sent, on its own or as an item of the change that follows the sending. */
export function noticeSentUpdate(claimId: string, key: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.notice(claimId, key),
      // A mark never fails the change it rides with, so it cannot be conditioned on the item; if
      // the item is gone by then (expired, or released by a sender that gave up), the mark creates
      // it, and then with an expiry of its own, not as an item kept for ever.
      UpdateExpression: 'SET #s = :sent, #exp = if_not_exists(#exp, :expires)',
      ExpressionAttributeNames: { '#s': 'status', '#exp': TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':sent': 'sent',
        ':expires': Math.floor(Date.now() / 1000) + KEEP_SECONDS,
      },
    },
  };
}

export async function markNoticeSent(claimId: string, key: string): Promise<void> {
  await dynamo().send(new UpdateCommand(noticeSentUpdate(claimId, key).Update));
}

/** Gives a notice back after a failed send, so the retry sends it. */
export async function releaseNotice(claimId: string, key: string): Promise<void> {
  await dynamo().send(
    new DeleteCommand({
      TableName: tableName(),
      Key: keys.notice(claimId, key),
      ConditionExpression: '#s = :sending',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':sending': 'sending' },
    }),
  );
}
