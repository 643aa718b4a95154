import {
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { VersionConflictError } from '../../core/errors.ts';
import { type InboundEmailRecord, recordExpiresAt } from '../../core/inbound-email.ts';
import { TTL_ATTRIBUTE } from '../../shared/table-definition.ts';
import { dynamo } from '../aws-clients.ts';
import { emailKeys, stripKeys } from './keys.ts';
import { tableName } from './table.ts';

const item = (r: InboundEmailRecord) => {
  const expiresAt = recordExpiresAt(r);
  return {
    ...emailKeys.message(r.intakeId),
    // Only open intake records are on the staff queue (a sparse index entry), and messages still being
    // processed: one whose processing stopped part-way is for staff too once nothing runs it (listed
    // only then, app/intake-records.ts).
    ...((r.outcome === 'INTAKE' || r.outcome === 'RECEIVED') && !r.claimId
      ? emailKeys.openIntake(r.receivedAt, r.intakeId)
      : {}),
    ...(r.outcome === 'IGNORED' ? emailKeys.ignored(r.receivedAt, r.intakeId) : {}),
    entity: 'InboundEmail',
    ...r,
    // Ignored mail is deleted by the table's TTL after IGNORED_KEPT_DAYS.
    ...(expiresAt !== undefined ? { [TTL_ATTRIBUTE]: expiresAt } : {}),
  };
};

/**
 * Records a received message, once: false when a record for this Message-ID exists already
 * (the same message delivered again), in one conditional write.
 */
export async function recordReceivedEmail(r: InboundEmailRecord): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: item(r),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/**
 * Access pattern: the message that first brought this content (`contentIdentity`), written once,
 * conditionally. Returns the intake id holding it: `intakeId` itself when this message is the first
 * (or a retry of it), another when the same signed content came before under another Message-ID.
 */
export async function claimEmailContent(identity: string, intakeId: string): Promise<string> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...emailKeys.content(identity), entity: 'InboundEmailContent', intakeId },
        ConditionExpression: 'attribute_not_exists(pk) OR intakeId = :id',
        ExpressionAttributeValues: { ':id': intakeId },
      }),
    );
    return intakeId;
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: emailKeys.content(identity), ConsistentRead: true }),
  );
  return String(r.Item?.intakeId ?? intakeId);
}

/** Saves a new version of a record, only if nobody saved since `r.version - 1` was read. */
export async function saveEmailRecord(r: InboundEmailRecord): Promise<void> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: item(r),
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': r.version - 1 },
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) throw new VersionConflictError(undefined);
    throw e;
  }
}

/** A record as the table holds it: with the time its TTL deletes it at, when it has one. */
export type StoredEmailRecord = InboundEmailRecord & { [TTL_ATTRIBUTE]?: number };

/** Access pattern: a received message by intake id. */
export async function getEmailRecord(intakeId: string): Promise<StoredEmailRecord | undefined> {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: emailKeys.message(intakeId), ConsistentRead: true }),
  );
  return r.Item ? stripKeys<StoredEmailRecord>(r.Item) : undefined;
}

/**
 * Every received-message record, whatever its outcome, a Scan page at a time (no index holds them
 * all): read by the backfill that applies what records keep (`keptOfMessage`) to records written
 * before it. No request path scans.
 */
export async function* emailRecordPages(): AsyncGenerator<StoredEmailRecord[]> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'entity = :e',
        ExpressionAttributeValues: { ':e': 'InboundEmail' },
        ExclusiveStartKey: start,
      }),
    );
    start = page.LastEvaluatedKey;
    yield (page.Items ?? []).map((i) => stripKeys<StoredEmailRecord>(i));
  } while (start);
}

/**
 * Access pattern: open intake records and messages still RECEIVED, oldest first (GSI2 `INTAKE#OPEN`),
 * one bounded page.
 */
export async function openIntakeRecords(limit: number): Promise<InboundEmailRecord[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INTAKE#OPEN' },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<InboundEmailRecord>(i));
}

/** Access pattern: messages ignored as a machine's, newest first (GSI2 `INTAKE#IGNORED`), one bounded page. */
export async function ignoredEmailRecords(limit: number): Promise<InboundEmailRecord[]> {
  const r = await dynamo().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': 'INTAKE#IGNORED' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map((i) => stripKeys<InboundEmailRecord>(i));
}

/**
 * Counts one automatic reply to `sender` in this hour and says whether it may go (at most `max`):
 * an atomic counter, so two messages processed at once cannot both take the last reply.
 */
export async function takeReplySlot(sender: string, hour: string, max: number, expiresAt: number) {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: emailKeys.replyRate(sender.toLowerCase(), hour),
        UpdateExpression: 'ADD #n :one SET #e = :exp, entity = :entity',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'count', '#e': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':max': max, ':exp': expiresAt, ':entity': 'ReplyRate' },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}
